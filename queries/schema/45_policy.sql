-- The policy (scoring/policies/*.toml, R1–R11) each result was computed under, kept as the
-- method is: the exact file and its SHA-256. Evaluation runs read its "3个1" time limits;
-- subsidy computations (scoring/subsidy.py `store`) all of it. Older runs have none (null).

alter table evaluation_runs add column if not exists policy_text varchar;
alter table evaluation_runs add column if not exists policy_sha256 varchar;

create table if not exists subsidy_runs (
    run_id         varchar primary key,  -- S2025-001: subsidy year and sequence
    year           integer not null,
    policy_id      varchar not null,
    policy_version varchar not null,
    policy_text    varchar not null,     -- the policy file exactly as read
    policy_sha256  varchar not null,
    rows           bigint not null,      -- rows of the subsidy table
    uncapped       decimal(18, 2) not null,
    subsidy        decimal(18, 2) not null,
    created_at     timestamp not null
);
