-- Interest payments (import_pair: value = interest_paid, other_value = loan_id) larger
-- than the whole amount of their loan (import_loan_amounts): a plausibility bound of
-- the import (README), which also keeps the subsidy arithmetic within its range. Cells
-- that are not proper amounts are left to cell_issues, unknown loans to reference_issues.
with payments as (
    select p.row_no, p.value, l.amount as loan_amount,
           case when regexp_full_match(p.value, '[0-9]{1,16}(\.[0-9]{1,2})?') then cast(p.value as decimal(18, 2)) end
               as interest,
           case when regexp_full_match(l.amount, '[0-9]{1,16}(\.[0-9]{1,2})?') then cast(l.amount as decimal(18, 2)) end
               as amount
    from import_pair p
    join import_loan_amounts l on l.loan_id = p.other_value
)
select row_no, value, '实付利息超过该笔贷款（租赁）的合同金额（' || loan_amount || ' 元），请核对金额单位是否为元' as message
from payments
where interest > amount
