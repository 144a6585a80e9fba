-- Stored evaluation runs (scoring/runs.py, R12–R16). A run keeps the exact method file,
-- its SHA-256, a fingerprint of the data it read and every result, so a published
-- evaluation can be shown and reproduced years later. Once published (published_at set)
-- a run is immutable: scoring/runs.py refuses to change or delete it.

create table if not exists evaluation_runs (
    run_id         varchar primary key,  -- E2025-001: evaluation year and sequence
    year           integer not null,
    method_id      varchar not null,
    method_version varchar not null,
    method_name    varchar not null,
    method_text    varchar not null,     -- the method file exactly as read
    method_sha256  varchar not null,
    data_sha256    varchar not null,     -- over the per-table checksums below
    data_tables    varchar not null,     -- JSON: table → {rows, checksum}
    as_of          date not null,        -- the day "3个1" stages were judged
    draws          integer not null,     -- robustness draws
    seed           bigint not null,
    created_at     timestamp not null,
    published_at   timestamp             -- null: a draft that may be deleted
);

create table if not exists run_institutions (
    run_id             varchar not null,
    inst_id            varchar not null,
    name               varchar not null,
    peer_group         varchar not null,
    status             varchar not null,  -- scored / vetoed / insufficient_data
    status_label       varchar not null,
    reason             varchar not null,
    eligible           boolean not null,
    eligibility_reason varchar not null,
    loans_in_year      integer not null,
    score              double,
    composite          double,
    deduction          double,
    rank               integer,
    competition_rank   integer,
    grade              varchar,
    interview          boolean not null,
    interview_reason   varchar not null,
    selected           boolean not null,
    selection_reason   varchar not null,
    change             varchar,           -- stays / joins / leaves, null when on neither list
    change_label       varchar,
    bonus              double not null,
    median_rank        double,
    rank_p05           double,
    rank_p95           double,
    selection_share    double,
    tier               varchar,           -- peer tier the goalposts read (scoring.contract.TIERS)
    primary key (run_id, inst_id)
);
alter table run_institutions add column if not exists tier varchar;

create table if not exists run_districts (
    run_id           varchar not null,
    district_code    varchar not null,
    name             varchar not null,
    score            double,
    composite        double,
    deduction        double,
    rank             integer,
    competition_rank integer,
    median_rank      double,
    rank_p05         double,
    rank_p95         double,
    primary key (run_id, district_code)
);

-- Every raw indicator with its normalised value and contribution, and the parts each is
-- built from (a part has no normalised value or contribution), institutions and districts.
create table if not exists run_indicators (
    run_id       varchar not null,
    subject      varchar not null check (subject in ('institution', 'district')),
    subject_id   varchar not null,
    indicator    varchar not null,  -- V1 … I1, D1 … D5, or a part such as V3_enterprises
    raw          double,
    normalised   double,
    contribution double,
    primary key (run_id, subject, subject_id, indicator)
);

create table if not exists run_drop_one (
    run_id     varchar not null,
    inst_id    varchar not null,
    peer_group varchar not null,
    dropped    varchar not null,  -- the indicator left out
    rank       integer not null,
    base_rank  integer not null,
    shift      integer not null,  -- rank without it − rank with all
    primary key (run_id, inst_id, dropped)
);
