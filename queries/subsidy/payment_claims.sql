-- R4: a loan's share of its project's capped total is spread back over the loan's
-- payments of the year in proportion to their uncapped subsidy (same fen rule); only the
-- loans of capped projects have a share (loan_shares).
select
    p.loan_id as grp,
    p.payment_id as member,
    p.uncapped_fen as weight,
    s.allocated as target
from payment_uncapped as p
join loan_shares as s on s.member = p.loan_id
where p.reason is null
