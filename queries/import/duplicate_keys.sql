-- Rows whose key repeats an earlier row of the same table in this call
-- (DATA.md: duplicate key inside the file; two files of one call count as one).
with keys as (
    select k.part_id, k.row_no, k.row_key, p.tbl, p.file_name
    from import_row_keys k
    join import_parts p using (part_id)
),
repeated as (
    select tbl, row_key
    from keys
    group by tbl, row_key
    having count(*) > 1
),
ranked as (
    select k.*, row_number() over (partition by k.tbl, k.row_key order by k.part_id, k.row_no) as nth
    from keys k
    join repeated r using (tbl, row_key)
),
firsts as (
    select tbl, row_key, part_id as first_part, file_name as first_file, row_no as first_row
    from ranked
    where nth = 1
),
key_columns as (
    select tbl, string_agg(col, ',' order by key_pos) as cols
    from import_columns
    where key_pos is not null
    group by tbl
)
select d.part_id, d.row_no, c.cols as col, d.row_key as value,
       case when d.part_id = f.first_part
            then '编号重复：与本文件第 ' || f.first_row || ' 行相同'
            else '编号重复：与文件 ' || f.first_file || ' 第 ' || f.first_row || ' 行相同'
       end as message
from ranked d
join firsts f using (tbl, row_key)
join key_columns c using (tbl)
where d.nth > 1
