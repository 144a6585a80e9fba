-- Rows an institution user ($inst) may not import: access is enforced in the data
-- layer. Every row of an institution-owned table must belong to $inst, and so must the
-- stored row it would replace. A row belongs to an institution when one of its owner
-- columns (import_owner_columns) names it, directly or through the loan it refers to.
-- import_owner_cells holds those cells, of the incoming rows and (stored = true) of the
-- stored rows they would replace. A key the user may not overwrite is refused without
-- saying whose it is or that it exists (issue 8): only that it cannot be used.
with incoming_loans as (
    select k.row_key as loan_id, o.value as inst_id
    from import_owner_cells o
    join import_row_keys k using (part_id, row_no)
    join import_parts p using (part_id)
    where p.tbl = 'loans' and o.col = 'inst_id' and not o.stored
),
loan_owners as (
    select loan_id, inst_id from incoming_loans
    union all
    select loan_id, inst_id from loans
    where loan_id not in (select loan_id from incoming_loans)
),
owned_rows as (
    select w.part_id, w.row_no, p.tbl
    from import_rows w
    join import_parts p using (part_id)
    where p.tbl in (select tbl from import_owner_columns)
),
new_owners as (
    select o.part_id, o.row_no, case when o.via = 'loans' then lo.inst_id else o.value end as owner
    from import_owner_cells o
    left join loan_owners lo on o.via = 'loans' and lo.loan_id = o.value
    where not o.stored
),
old_owners as (
    select o.part_id, o.row_no, case when o.via = 'loans' then lo.inst_id else o.value end as owner
    from import_owner_cells o
    left join loans lo on o.via = 'loans' and lo.loan_id = o.value
    where o.stored
),
new_verdicts as (
    select part_id, row_no, bool_or(owner = $inst) as belongs
    from new_owners
    group by part_id, row_no
),
old_verdicts as (
    select part_id, row_no, bool_or(owner = $inst) as belongs
    from old_owners
    group by part_id, row_no
),
first_owner_columns as (
    select tbl, col from import_owner_columns where position = 1
),
key_columns as (
    select tbl, col from import_columns where key_pos = 1
),
foreign_rows as (
    select r.part_id, r.row_no, f.col, o.value,
           '该行不属于机构“' || $inst || '”：机构用户只能导入本机构的数据' as message
    from owned_rows r
    join first_owner_columns f using (tbl)
    left join new_verdicts v using (part_id, row_no)
    left join import_owner_cells o on o.part_id = r.part_id and o.row_no = r.row_no and o.col = f.col and not o.stored
    where not coalesce(v.belongs, false)
),
foreign_replacements as (
    select r.part_id, r.row_no, kc.col, k.row_key as value,
           '编号“' || k.row_key || '”不能使用，请换用其他编号' as message
    from owned_rows r
    join old_verdicts v using (part_id, row_no)
    join import_row_keys k using (part_id, row_no)
    join key_columns kc using (tbl)
    where not coalesce(v.belongs, false)
)
select part_id, row_no, col, value, message from foreign_rows
union all
select part_id, row_no, col, value, message from foreign_replacements
