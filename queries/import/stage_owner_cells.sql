-- The owner cells of one column (import_column) of the incoming rows, for scope_issues.sql.
insert into import_owner_cells
select $part, row_no, $col, $via, value, false from import_column
