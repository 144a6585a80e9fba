-- stored order: paid_on, payment_id
-- R2–R4: every interest payment of $year (payment_uncapped, built by scoring.subsidy over all
-- rows) with its subsidy after the project's annual cap, in fen: the share the cap left it
-- (payment_shares, which holds only the payments of capped projects), else its uncapped
-- subsidy (0 when refused). The one place that rule is written. Where a table of the database
-- keeps them (scoring.subsidy), they are in the payment detail's order (subsidy/payment_detail).
select p.*, coalesce(s.allocated, p.uncapped_fen) as subsidy_fen
from payment_uncapped as p
left join payment_shares as s on s.member = p.payment_id
