-- Rows whose two columns (import_pair: value, other_value) stand in an impossible
-- order (DATA.md: impossible dates, e.g. disbursed before signed; also a land portion
-- larger than the whole). $relation: not_before (value >= other), after
-- (value > other), not_above (value <= other, amounts). A cell that is not a proper
-- date or amount is left to cell_issues, so one mistake gives one message.
with pairs as (
    select row_no, value, other_value,
           case when regexp_full_match(value, '[0-9]{4}-[0-9]{2}-[0-9]{2}') then try_cast(value as date) end as day,
           case when regexp_full_match(other_value, '[0-9]{4}-[0-9]{2}-[0-9]{2}') then try_cast(other_value as date) end
               as other_day,
           case when regexp_full_match(value, '[0-9]{1,16}(\.[0-9]{1,2})?') then cast(value as decimal(18, 2)) end
               as amount,
           case when regexp_full_match(other_value, '[0-9]{1,16}(\.[0-9]{1,2})?')
                then cast(other_value as decimal(18, 2)) end as other_amount
    from import_pair
)
select row_no, value, $message || '（' || $other || ' 为 ' || other_value || '）' as message
from pairs
where case $relation
    when 'not_before' then day < other_day
    when 'after' then day <= other_day
    when 'not_above' then amount > other_amount
end
