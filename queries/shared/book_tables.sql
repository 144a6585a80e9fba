-- The books kept in the file (scoring.shared.keep_books): tables named book_<reported version>_<digest>_<view>.
select table_name
from duckdb_tables()
where database_name = current_database() and schema_name = 'main' and starts_with(table_name, 'book_')
