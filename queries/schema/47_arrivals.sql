-- When each reported row first arrived (the data-quality rule Q5, loans reported long after they
-- were signed): the importer adds a row here for every row it inserts, keyed like audit_log.row_key;
-- the demo generator writes the arrivals it simulates. Replacing a row keeps its first arrival.
create table if not exists row_arrivals (
    table_name varchar not null,
    row_key    varchar not null,
    first_seen date not null,
    primary key (table_name, row_key)
);
