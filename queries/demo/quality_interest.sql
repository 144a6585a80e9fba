-- Demo data-quality problems (Q4): L04 reports half as much rent interest again on a few 2026 payments.
update interest_payments
set interest_paid = round(interest_paid * 1.5, 2)
where year(paid_on) = 2026
  and right(payment_id, 1) = '3'
  and loan_id in (select loan_id from loans where inst_id = 'L04')
