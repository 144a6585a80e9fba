-- The evaluation as a workflow (issue 15): reporting periods and receipts, API tokens,
-- qualitative review, appeals, and one hash-chained trail of every step.

-- Settings a regulator changes without a programmer (scoring/reporting.py holds the defaults):
-- deadline_working_days, first_period, appeal_window_working_days.
create table if not exists workflow_settings (
    key   varchar primary key,
    value varchar not null
);

-- Every submission, accepted or refused: the receipt (回执) is built from these rows.
create table if not exists submissions (
    submission_id  varchar primary key,    -- SUB-20261203-000001
    inst_id        varchar,                -- the submitting institution; null for the regulator
    submitter      varchar not null,       -- account name, or "API 令牌 <token_id>"
    channel        varchar not null check (channel in ('page', 'cli', 'api')),
    submitted_at   timestamp not null,
    accepted       boolean not null,
    rows_total     integer not null,
    rows_inserted  integer not null,
    rows_replaced  integer not null,
    rows_unchanged integer not null,
    error_count    integer not null
);
create sequence if not exists submission_seq start 1;

-- The uploaded files of a submission with their SHA-256, and per table what importing them changed.
create table if not exists submission_files (
    submission_id varchar not null,
    position      integer not null,        -- order within the submission
    file_name     varchar not null,        -- as uploaded, shown only as text
    table_name    varchar,                 -- null when the file could not be read as a table
    sha256        varchar not null,
    bytes         bigint not null,
    rows_total    integer not null,
    rows_inserted integer not null,
    rows_replaced integer not null,
    rows_unchanged integer not null,
    primary key (submission_id, position)
);

-- The full error list of a refused submission (file, row as Excel numbers it, column, value, message).
create table if not exists submission_errors (
    submission_id varchar not null,
    position      integer not null,
    file_name     varchar not null,
    row_no        integer,
    column_name   varchar,
    cell_value    varchar,
    message       varchar not null,
    primary key (submission_id, position)
);

-- The reporting periods (months, 'YYYY-MM') an accepted submission covered, per institution:
-- the months of the business dates of its rows, and any period it declared.
create table if not exists submission_periods (
    submission_id varchar not null,
    inst_id       varchar not null,
    period        varchar not null,
    rows_total    integer not null,
    primary key (submission_id, inst_id, period)
);

-- API tokens: only the SHA-256 of a token is kept; the token itself is printed once.
create table if not exists api_tokens (
    token_id    varchar primary key,       -- T0001: shown in lists and the audit trail
    inst_id     varchar not null,
    token_hash  varchar not null unique,
    label       varchar not null,
    created_by  varchar not null,
    created_at  timestamp not null,
    revoked_at  timestamp,
    last_used_at timestamp
);
create sequence if not exists api_token_seq start 1;

-- Qualitative indicators (Q1, Q2 … of a method): the institution's self-assessment and the
-- regulator's review; the final score enters the composite.
create table if not exists qualitative_scores (
    year          integer not null,
    inst_id       varchar not null,
    indicator     varchar not null,
    self_score    decimal(5, 2),
    justification varchar,
    self_by       varchar,
    self_at       timestamp,
    final_score   decimal(5, 2),
    review_comment varchar,
    reviewed_by   varchar,
    reviewed_at   timestamp,
    primary key (year, inst_id, indicator)
);

-- Evidence attachments, stored by the SHA-256 of their content (never by the uploaded name),
-- checked for type and size, and only ever handed out as a download under a name made from the hash.
create table if not exists evidence_files (
    sha256      varchar primary key,
    media_type  varchar not null,
    extension   varchar not null,
    bytes       bigint not null,
    content     blob not null,
    stored_at   timestamp not null
);

create table if not exists evidence_links (
    owner       varchar not null,          -- 'Q:<year>:<inst_id>:<indicator>' or 'A:<appeal_id>'
    sha256      varchar not null,
    uploaded_name varchar not null,        -- as typed by the user: shown as text, never used as a path
    uploaded_by varchar not null,
    uploaded_at timestamp not null,
    primary key (owner, sha256)
);

-- Appeals (复核) against a published run, within the window after publication.
create table if not exists appeals (
    appeal_id   varchar primary key,       -- A2025-001
    run_id      varchar not null,
    inst_id     varchar not null,
    indicators  varchar not null,          -- disputed indicator ids, ';'-separated
    reasons     varchar not null,
    filed_by    varchar not null,
    filed_at    timestamp not null,
    status      varchar not null check (status in ('filed', 'accepted', 'rejected')),
    decision    varchar,                   -- the regulator's reasons
    decided_by  varchar,
    decided_at  timestamp,
    corrected_run_id varchar               -- the run that superseded the appealed one
);

-- A corrected run supersedes the published one: the old run stays as it was, marked superseded.
alter table evaluation_runs add column if not exists supersedes varchar;
alter table evaluation_runs add column if not exists superseded_by varchar;
alter table evaluation_runs add column if not exists correction_reason varchar;

-- Every workflow step (token use, submission, self-assessment, review, appeal, decision,
-- corrected run, settings), hash-chained like audit_log (scoring/audit.py).
create sequence if not exists workflow_event_seq start 1;

create table if not exists workflow_events (
    event_id    bigint primary key default nextval('workflow_event_seq'),
    happened_at timestamp not null,
    actor       varchar not null,
    inst_id     varchar,
    action      varchar not null,
    subject     varchar,
    detail      varchar,
    row_hash    varchar
);
