-- Forget one kept table's row, once the table is dropped (scoring.shared: outdated, beyond its
-- result's most recent parameter sets, or every one for `forget`).
delete from shared_tables
where table_name = $table_name
