-- Empty the working-day calendar before it is rebuilt (scoring.calendar.refresh).
delete from calendar
