-- The calendar as the engine sees it (scoring.calendar.Calendar.from_db).
select day, working, provisional
from calendar
order by day
