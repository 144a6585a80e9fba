-- Cells of a column (import_column) that must name a row of $ref_tbl but name none
-- (DATA.md: unknown reference). The row may be stored already (import_known) or come
-- in a file of the same call (import_row_keys).
with known as (
    select value from import_known where tbl = $ref_tbl
    union all
    select k.row_key from import_row_keys k join import_parts p using (part_id) where p.tbl = $ref_tbl
)
select row_no, value,
       '“' || $ref_label || '”中没有编号为“' || value || '”的记录（须已导入，或在同一批文件中一并导入）' as message
from import_column
where value is not null
  and value not in (select value from known)
