-- staging: cut-off
-- The 技改专项贷 an evaluation reads (POLICY "Who is who"), as the book stood at the end
-- of $until (the year-to-date cut-off, the end of the evaluation year by default): loans
-- and direct leases signed by $until that finance a manufacturing enterprise's project
-- filed (技改备案) by then. A disbursement dated after $until is not known yet, so its
-- date is left empty. Pooling and the 1,000,000 threshold are subsidy conditions (R1) and
-- do not gate lending volume. It is the part of staging/eval_book (the year's loans,
-- classified) signed and filed by $until, built once per evaluation session (or read
-- inline off the book, built once, in a session over many cut-offs: scoring.engine.sql);
-- every indicator family and the district race read it, and so do the dashboard's figures
-- named 技改专项贷 (totals, months, the volume race: scoring.dashboard), so that one name
-- has one definition.
select
    loan_id,
    inst_id,
    ent_id,
    project_id,
    ent_district_code,
    kind,
    amount,
    rate,
    lpr,
    discount,
    relending_counted,
    inclusive_borrower,
    key_borrower,
    innovative_product,
    signed_year,
    case when disbursed_on <= $until then disbursed_on end as disbursed_on,
    case when disbursed_on <= $until then extract(year from disbursed_on) end as disbursed_year,
    first_signing,
    -- the first day a cut-off keeps the loan (signed, its project filed): an earlier cut-off's loans are
    -- read off these (districts/indicators)
    greatest(signed_on, filed_on) as counted_on,
    pooled_on,
    project_district_code
from eval_book
where filed_on <= $until
  and signed_on <= $until
