-- The rows of the tables `tables_outdated` listed, once they are dropped (scoring.shared.stored).
delete from shared_tables
where data_version not in (
    select distinct data_version from shared_tables order by data_version desc limit 2
)
