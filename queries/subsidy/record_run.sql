-- Record one subsidy computation of $year with the policy it ran under (R1–R8): the
-- policy file's text and SHA-256 and the table's totals. The run id is S<year>-<sequence>.
insert into subsidy_runs (run_id, year, policy_id, policy_version, policy_text, policy_sha256, rows, uncapped,
                          subsidy, created_at)
select
    'S' || cast($year as varchar) || '-' || lpad(cast(count(*) + 1 as varchar), 3, '0'),
    $year, $policy_id, $policy_version, $policy_text, $policy_sha256, $rows, $uncapped, $subsidy, $created_at
from subsidy_runs
where year = $year
returning run_id
