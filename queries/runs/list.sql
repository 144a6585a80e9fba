-- Every stored evaluation run, newest first, with what it was computed from.
select
    run_id,
    year,
    method_id,
    method_version,
    method_name,
    method_sha256,
    data_sha256,
    as_of,
    draws,
    seed,
    created_at,
    published_at,
    published_at is not null as published,
    supersedes,
    superseded_by,
    correction_reason
from evaluation_runs
order by created_at desc, run_id desc
