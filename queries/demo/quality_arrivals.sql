-- When each demo loan was first reported (Q5): 3–22 days after signing as a rule; B21 and L02
-- report a fifth of their 2026 loans 75–134 days late. Never after the data's last day ($until).
insert into row_arrivals (table_name, row_key, first_seen)
select
    'loans', loan_id,
    least(cast($until as date), signed_on + cast(
        3 + cast(right(loan_id, 2) as integer) % 20
        + case when inst_id in ('B21', 'L02') and year(signed_on) = 2026 and right(loan_id, 1) in ('2', '8')
               then 72 + cast(right(loan_id, 2) as integer) % 60 else 0 end
        as integer))
from loans
