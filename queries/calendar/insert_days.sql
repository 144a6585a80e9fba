-- The rebuilt working-day calendar, from the registered frame `new_calendar` (scoring.calendar.refresh).
insert into calendar
select * from new_calendar
