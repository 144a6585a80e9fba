-- The imported holiday schedule (DATA.md holidays), which overrides the package's (R9).
select day, working, note
from holidays
