-- Results built once per data version and kept in the file (scoring/shared.py, `keep=True`): the
-- monthly races and the year-end projection that the pages open on, so that a process started
-- later reads them rather than computing them again. Each part is one Arrow IPC stream; the rows
-- of older data versions are deleted when a newer version's result is stored.
create table if not exists shared_results (
    data_version varchar not null,
    name         varchar not null,
    params       varchar not null,
    part         varchar not null,
    payload      blob not null,
    primary key (data_version, name, params, part)
);
