-- Items of a list column (import_column; e.g. enterprise tags, separated by ';')
-- outside the allowed set.
with items as (
    select row_no, value, trim(unnest(string_split(replace(value, '；', ';'), ';'))) as item
    from import_column
    where value is not null
)
select row_no, value, '“' || item || '”不是允许的取值，应为：' || $allowed_text || '（多项用分号 ; 分隔）' as message
from items
where item <> ''
  and item not in (select a.value from import_allowed a where a.tbl = $tbl and a.col = $col)
