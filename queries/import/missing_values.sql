-- Required cells left empty in one column (import_column) of a file
-- (DATA.md "What bad input gets": missing required value).
select row_no, null as value, $label || '为必填项，不能为空' as message
from import_column
where value is null
