-- The cells of one column (import_column) of kind $kind that have the wrong type or lie
-- outside their allowed set or range (DATA.md: wrong type, bad enum, negative money, a
-- rate outside 0–24 %) and the plausibility bounds ($max_amount yuan, dates from
-- $first_day to $last_day: README). One message per cell: the first rule it breaks, in this order.
with cells as (
    select row_no, value,
           case when $kind in ('money', 'rate') or $positive then try_cast(value as double) end as number,
           case when $kind = 'text'
                then value in (select a.value from import_allowed a where a.tbl = $tbl and a.col = $col)
           end as is_allowed
    from import_column
    where value is not null
),
checked as (
    select row_no, value,
        case
            when $kind = 'date' and (not regexp_full_match(value, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                                     or try_cast(value as date) is null)
                then '日期应为 YYYY-MM-DD 格式的真实日期（如 2025-03-01）'
            when $kind = 'date' and try_cast(value as date) not between $first_day and $last_day
                then '日期应在 ' || cast($first_day as varchar) || ' 至 ' || cast($last_day as varchar) || ' 之间，请核对年份'
            when $kind = 'money' and not regexp_full_match(value, '-?[0-9]+(\.[0-9]+)?')
                then '金额应为以元为单位的数字（如 1234.56），不带千分位逗号、单位或空格'
            when $kind = 'money' and number < 0
                then '金额不能为负数'
            when $kind = 'money' and regexp_full_match(value, '[0-9]+\.[0-9]{3,}')
                then '金额最多保留两位小数（精确到分）'
            when $kind = 'money' and regexp_full_match(value, '[0-9]{17,}(\.[0-9]+)?')
                then '金额超出可记录范围（整数部分最多16位）'
            when $kind = 'money' and try_cast(value as decimal(18, 2)) > $max_amount
                then '金额超过合理上限（' || $max_amount_text || '），请核对金额单位是否为元'
            when $kind = 'rate' and not regexp_full_match(value, '-?[0-9]+(\.[0-9]+)?')
                then '利率应以小数填写（如 0.0345 表示 3.45%），不带百分号'
            when $kind = 'rate' and (number < 0 or number > 0.24)
                then '利率应在 0 到 0.24（即 0%–24%）之间'
                     || case when number > 1 then '，疑似按百分数填写' else '' end
            when $kind = 'rate' and regexp_full_match(value, '[0-9]+\.[0-9]{7,}')
                then '利率最多保留6位小数'
            when $positive and number = 0
                then $label || '必须大于 0'
            when $kind = 'bool' and lower(value) not in ('true', 'false', '是', '否', '1', '0')
                then '应填 true/false、是/否 或 1/0'
            when $kind = 'int' and not regexp_full_match(value, '[0-9]{1,9}')
                then '应为四位数年份（如 2025）'
            when $kind = 'int' and try_cast(value as integer) not between 2000 and 2100
                then '年份应在 2000–2100 之间'
            when $kind = 'text' and not is_allowed
                then '“' || value || '”不是允许的取值，应为：' || $allowed_text
        end as message
    from cells
)
select row_no, value, message
from checked
where message is not null
