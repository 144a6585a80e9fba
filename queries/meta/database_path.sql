-- The file of the database the connection reads (NULL in memory): what a result shared per data
-- version is keyed by (scoring.shared), so two databases with the same version never share one.
select path
from duckdb_databases()
where database_name = current_database()
