-- Every unit's score, rank and raw indicators in a stored run (R16), long form: the map of the
-- district race. The race and its data are published to all districts (十九 通报), so this is
-- not narrowed by scope; it names districts only, never an institution.
select
    run_districts.district_code,
    run_districts.name,
    run_districts.score,
    run_districts.rank,
    run_indicators.indicator,
    run_indicators.raw
from run_districts
left join run_indicators
    on run_indicators.run_id = run_districts.run_id
    and run_indicators.subject = 'district'
    and run_indicators.subject_id = run_districts.district_code
where run_districts.run_id = $run_id
order by run_districts.rank, run_districts.district_code, run_indicators.indicator
