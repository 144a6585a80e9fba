-- The distinct values of one column (import_column), for checks made in Python.
select distinct value from import_column where value is not null
