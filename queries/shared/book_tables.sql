-- The books and results kept in the file by imports (scoring.shared.keep_books, keeping_for_import): tables named
-- book_<reported version>_<digest>_<view or part>, and building_book_… while a part is built.
select table_name
from duckdb_tables()
where database_name = current_database() and schema_name = 'main'
  and (starts_with(table_name, 'book_') or starts_with(table_name, 'building_book_'))
