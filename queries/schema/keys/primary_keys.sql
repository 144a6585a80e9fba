-- The tables of the database (not a session's temp tables) that declare a PRIMARY KEY
-- (`scoring.db.declare_keys` declares the contract's keys where one is missing).
select table_name
from duckdb_constraints()
where constraint_type = 'PRIMARY KEY' and database_name = current_database() and schema_name = 'main'
