-- Every issue of the cells of every part, each cell checked on its own against its column's
-- checks (import_columns), all in one pass: import_cells holds one row per cell
-- (part_id, row_no, column_id: its table and column, value). DATA.md "What bad input gets":
-- - a required cell left empty;
-- - family list (e.g. enterprise tags, separated by ';'): each item outside the allowed set;
-- - family cell: the wrong type, a value outside its allowed set or range (bad enum, negative
--   money, a rate outside 0–24 %) or the plausibility bounds ($max_amount yuan, dates from
--   first_day to last_day: README); one message per cell, the first rule it breaks;
-- - family identifier (keys and references): characters outside letters of any script, digits and
--   - _ . / ( ) — the importer has already put them in NFKC form, upper case, without invisible
--   characters (README "导入时的规范化"); what is left (spaces, quotes, control characters …)
--   would make two IDs look alike;
-- - family control (free text): control characters (NUL, backspace …, not tab or line breaks),
--   invisible in Excel, which break files written from the data;
-- - a reference naming no row of its table, stored (import_known) or in a file of the same call
--   (import_row_keys) (DATA.md: unknown reference);
-- - an institution whose kind cannot play the column's role (roles: a guarantor must
--   be a guarantee firm, an insurer an insurer, a lender a bank or a leasing company); unknown
--   institutions are reference issues;
-- - a credit code that failed the GB 32100-2015 check (import_bad_codes: value, Chinese message).
with known as (
    select distinct tbl, value
    from (
        select tbl, value from import_known
        union all
        select p.tbl, k.row_key from import_row_keys k join import_parts p using (part_id)
    )
),
institution_kinds as (
    select inst_id, list(kind) as kinds
    from import_institution_kinds
    group by inst_id
),
cells as (
    -- the lookups' keys are NULL where a column has no such check: those cells skip the probe
    select c.part_id, c.row_no, k.col, c.value, k.label, k.required, k.family, k.kind, k.positive, k.allowed,
           k.allowed_text, k.first_day, k.last_day, k.ref_tbl, k.ref_label, k.roles, k.roles_text,
           i.kinds as institution_kinds, b.message as code_problem, n.value is null as unknown,
           case when k.kind in ('money', 'rate') or k.positive then try_cast(c.value as double) end as number
    from import_cells c
    join import_columns k using (column_id)
    left join institution_kinds i on i.inst_id = case when k.roles is not null then c.value end
    left join import_bad_codes b on b.value = case when k.kind = 'credit_code' then c.value end
    left join known n on n.tbl = k.ref_tbl and n.value = case when k.ref_tbl is not null then c.value end
),
checked as (
    -- one column per check (NULL: passed); a list of messages only for the few cells with issues
    select part_id, row_no, col, value, roles, roles_text, institution_kinds, allowed, allowed_text,
        case when family = 'list' and value is not null
            then list_transform(string_split(replace(value, '；', ';'), ';'), lambda i: trim(i)) end as items,
        case when required and value is null then label || '为必填项，不能为空' end as missing,
        -- the first rule the cell breaks, in this order: its kind's rules that come before the
        -- positive rule (dates, money, rates), the positive rule, its kind's rules after it
        case when family = 'cell' and value is not null then coalesce(
            case kind
                when 'date' then case
                    when not regexp_full_match(value, '[0-9]{4}-[0-9]{2}-[0-9]{2}') or try_cast(value as date) is null
                        then '日期应为 YYYY-MM-DD 格式的真实日期（如 2025-03-01）'
                    when try_cast(value as date) not between first_day and last_day
                        then '日期应在 ' || cast(first_day as varchar) || ' 至 ' || cast(last_day as varchar)
                             || ' 之间，请核对年份'
                end
                when 'money' then case
                    when not regexp_full_match(value, '-?[0-9]+(\.[0-9]+)?')
                        then '金额应为以元为单位的数字（如 1234.56），不带千分位逗号、单位或空格'
                    when number < 0
                        then '金额不能为负数'
                    when regexp_full_match(value, '[0-9]+\.[0-9]{3,}')
                        then '金额最多保留两位小数（精确到分）'
                    when regexp_full_match(value, '[0-9]{17,}(\.[0-9]+)?')
                        then '金额超出可记录范围（整数部分最多16位）'
                    when try_cast(value as decimal(18, 2)) > $max_amount
                        then '金额超过合理上限（' || $max_amount_text || '），请核对金额单位是否为元'
                end
                when 'rate' then case
                    when not regexp_full_match(value, '-?[0-9]+(\.[0-9]+)?')
                        then '利率应以小数填写（如 0.0345 表示 3.45%），不带百分号'
                    when number < 0 or number > 0.24
                        then '利率应在 0 到 0.24（即 0%–24%）之间'
                             || case when number > 1 then '，疑似按百分数填写' else '' end
                    when regexp_full_match(value, '[0-9]+\.[0-9]{7,}')
                        then '利率最多保留6位小数'
                end
            end,
            case when positive and number = 0 then label || '必须大于 0' end,
            case kind
                -- a regular expression, not IN: DuckDB would test an IN list on every cell, of every kind
                when 'bool' then case when not regexp_full_match(lower(value), 'true|false|是|否|1|0')
                    then '应填 true/false、是/否 或 1/0' end
                when 'int' then case
                    when not regexp_full_match(value, '[0-9]{1,9}')
                        then '应为四位数年份（如 2025）'
                    when try_cast(value as integer) not between 2000 and 2100
                        then '年份应在 2000–2100 之间'
                end
                when 'text' then case when not coalesce(list_contains(allowed, value), false)
                    then '“' || value || '”不是允许的取值，应为：' || allowed_text end
            end
        ) end as bad_cell,
        case when family = 'identifier' and not regexp_full_match(value, '[\p{L}\p{N}._/()-]+')
            then '编号只能由字母、数字、汉字和 - _ . / ( ) 组成，不能含空格、引号、控制字符或其他符号' end as bad_identifier,
        case when family = 'control' and regexp_matches(value, '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')
            then '含有不可见的控制字符（常见于从其他系统复制的内容）：请删除后再导入' end as control_character,
        case when ref_tbl is not null and value is not null and unknown
            then '“' || ref_label || '”中没有编号为“' || value || '”的记录（须已导入，或在同一批文件中一并导入）' end
            as unknown_reference,
        code_problem
    from cells
),
issues as (
    -- list_concat, not ||: a comprehension over a missing list is NULL, and || would drop the others
    select part_id, row_no, col, value, unnest(list_concat(
        [missing, bad_cell, bad_identifier, control_character, unknown_reference, code_problem],
        [
            '“' || item || '”不是允许的取值，应为：' || allowed_text || '（多项用分号 ; 分隔）'
            for item in items if item <> '' and not list_contains(allowed, item)
        ],
        [
            '机构“' || value || '”的类型是 ' || institution_kind || '，此处须为 ' || roles_text || ' 类机构'
            for institution_kind in institution_kinds if not list_contains(roles, institution_kind)
        ]
    )) as message
    from checked
    where coalesce(missing, bad_cell, bad_identifier, control_character, unknown_reference, code_problem) is not null
       or items is not null or institution_kinds is not null
)
select part_id, row_no, col, value, message
from issues
where message is not null
