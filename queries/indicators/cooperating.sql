-- The cooperating institutions of $year (揭榜 call or last year's published evaluation):
-- the list this year's selection is compared with (R13 stays / joins / leaves).
select cooperation.inst_id, cooperation.source
from cooperation
join institutions on institutions.inst_id = cooperation.inst_id
where cooperation.year = $year
order by cooperation.inst_id
