-- Record one table of a result built for this data version (scoring.shared.stored).
insert or replace into shared_tables (data_version, name, params, part, table_name)
values ($data_version, $result_name, $params, $part, $table_name)
