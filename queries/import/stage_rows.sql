-- Every data row of one part ($view, registered from Arrow) by its Excel row number.
insert into import_rows
select $part, row_no from query_table($view)
