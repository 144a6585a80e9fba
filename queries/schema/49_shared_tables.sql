-- Large results built once per data version and kept in the file as tables of their own
-- (scoring/shared.py `stored`): the year's subsidy items and interest payments after the caps,
-- over all rows (a million payments at a million loans: too large for an Arrow stream in
-- shared_results) and the judged "3个1" stages of the days the pages show. One row per table; a
-- table and its row go together. The tables of all but the two newest data versions are dropped
-- when a newer version's tables are stored, and a result kept for many parameters (the stages of
-- one as-of day each) keeps only its most recent few (`kept_at`).
create table if not exists shared_tables (
    data_version varchar not null,
    name         varchar not null,
    params       varchar not null,
    part         varchar not null,
    table_name   varchar not null,
    kept_at      timestamp not null default current_timestamp,
    primary key (data_version, name, params, part)
);
