-- The units that have a district official's account, in code order (the warm-up computes each one's
-- 储备库台账 as its official opens it).
select distinct district_code
from users
where role = 'district'
order by district_code
