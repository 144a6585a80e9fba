-- Demo data-quality problems (Q1), all on 2026 loans so that the 2025 evaluation, the 2025 subsidies
-- and the "3个1" stages stay as they were: B09 books a few loans 200 bp below the LPR, and B18
-- reports an LPR 25 bp off the published one on about a tenth of its loans.
update loans
set rate = case when inst_id = 'B09' then greatest(rate - 0.02, 0.005) else rate end,
    lpr = case when inst_id = 'B18' then lpr + 0.0025 else lpr end
where year(signed_on) = 2026
  and ((inst_id = 'B09' and cast(right(loan_id, 2) as integer) % 25 = 7)
       or (inst_id = 'B18' and right(loan_id, 1) = '5'))
