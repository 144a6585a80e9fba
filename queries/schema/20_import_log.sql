-- Bookkeeping of the import contract: every accepted file, every replaced row,
-- and a data version that caches key on (it changes whenever data changes).

create sequence if not exists import_file_seq start 1;

create table if not exists import_files (
    file_id       integer primary key default nextval('import_file_seq'),
    file_name     varchar not null,
    table_name    varchar not null,
    sha256        varchar not null,
    rows_total    integer not null,
    rows_inserted integer not null,
    rows_replaced integer not null,
    rows_unchanged integer not null,
    imported_by   varchar not null,
    imported_at   timestamp not null
);

create sequence if not exists audit_seq start 1;

create table if not exists audit_log (
    audit_id   bigint primary key default nextval('audit_seq'),
    file_id    integer not null,
    table_name varchar not null,
    row_key    varchar not null,
    changed_by varchar not null,
    changed_at timestamp not null,
    old_row    varchar not null,  -- JSON of the replaced row
    new_row    varchar not null   -- JSON of the row that replaced it
);

create table if not exists meta (
    key   varchar primary key,
    value varchar not null
);

-- Tamper evidence (scoring/audit.py): each audit row's hash covers its content and the hash of
-- the row before it, so a row edited or deleted by hand breaks the chain; the head records how
-- many rows the chain has and its last hash, so deleting the newest rows shows too.
alter table audit_log add column if not exists row_hash varchar;

create table if not exists audit_heads (
    chain     varchar primary key,  -- the chained table: audit_log, login_events
    rows      bigint not null,
    last_id   bigint not null,
    last_hash varchar not null
);
