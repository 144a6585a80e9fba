-- Institutions named in a column (import_column) whose kind cannot play that role:
-- a guarantor must be a guarantee firm, an insurer an insurer, a lender a bank or a
-- leasing company (import_ref_kinds). Unknown institutions are reference issues.
with allowed as (
    select kind from import_ref_kinds where tbl = $tbl and col = $col
)
select c.row_no, c.value,
       '机构“' || c.value || '”的类型是 ' || k.kind || '，此处须为 '
       || (select string_agg(kind, ' 或 ' order by kind) from allowed) || ' 类机构' as message
from import_column c
join import_institution_kinds k on k.inst_id = c.value
where k.kind not in (select kind from allowed)
