-- A stored run's district race (R16): every unit's score and rank. The race is published
-- to all districts (十九 通报), so it is not narrowed by scope; a unit's indicators are
-- (my_indicators.sql), and others appear here only as score and rank.
select district_code, name, score, rank, median_rank, rank_p05, rank_p95
from run_districts
where run_id = $run_id
order by rank, district_code
