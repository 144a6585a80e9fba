-- Years that an administrator gave a schedule for through the holidays table (R9).
select distinct year(day) as year
from holidays
