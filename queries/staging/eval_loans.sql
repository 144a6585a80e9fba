-- staging: materialised
-- The 技改专项贷 an evaluation reads (POLICY "Who is who"), as the book stood at the end
-- of $until (the year-to-date cut-off, the end of the evaluation year by default): loans
-- and direct leases signed by $until that finance a manufacturing enterprise's project
-- filed (技改备案) by then. A disbursement dated after $until is not known yet, so its
-- date is left empty. Pooling and the 1,000,000 threshold are subsidy conditions (R1) and
-- do not gate lending volume. Built once per evaluation session; every indicator family
-- and the district race read it, and so do the dashboard's figures named 技改专项贷 (totals,
-- months, the volume race: scoring.dashboard), so that one name has one definition.
with technical_loans as (
    select
        loans.loan_id,
        loans.inst_id,
        loans.ent_id,
        loans.project_id,
        loans.product_id,
        loans.kind,
        loans.amount,
        loans.rate,
        loans.lpr,
        loans.relending,
        loans.credit_line,
        loans.signed_on,
        case when loans.disbursed_on <= $until then loans.disbursed_on end as disbursed_on,
        enterprises.district_code as ent_district_code,
        enterprises.size,
        enterprises.ownership,
        enterprises.agricultural,
        concat(';', replace(coalesce(enterprises.tags, ''), ' ', ''), ';') as tag_list
    from loans
    join projects on projects.project_id = loans.project_id
    join enterprises on enterprises.ent_id = loans.ent_id
    where projects.filed_on <= $until
      and enterprises.manufacturing
      and loans.signed_on <= $until
),

lenders as (
    select inst_id, local_legal_person
    from institutions
),

classified as (
    select
        technical_loans.*,
        -- R8: agri-small re-lending only counts from a local legal person to an eligible borrower
        case
            when relending = 'tech' then true
            when relending = 'agri_small' then lenders.local_legal_person and (
                agricultural
                or size in ('small', 'micro')
                or (ownership = 'private' and credit_line < 30000000)
            )
            else false
        end as relending_counted,
        size in ('small', 'micro') or ownership = 'private' as inclusive_borrower,
        (tag_list like '%;unicorn;%' or tag_list like '%;potential_unicorn;%'
            or tag_list like '%;gazelle;%' or tag_list like '%;specialized;%'
            or tag_list like '%;little_giant;%') as key_borrower
    from technical_loans
    join lenders on lenders.inst_id = technical_loans.inst_id
),

dated as (
    select
        classified.*,
        extract(year from signed_on) as signed_year,
        extract(year from disbursed_on) as disbursed_year,
        -- 揭榜 "projects added": the institution's first signing on the project
        signed_on = min(signed_on) over (partition by inst_id, project_id) as first_signing
    from classified
)

select
    dated.loan_id,
    dated.inst_id,
    dated.ent_id,
    dated.project_id,
    dated.ent_district_code,
    dated.kind,
    dated.amount,
    dated.rate,
    dated.lpr,
    dated.lpr - dated.rate as discount,
    dated.relending_counted,
    dated.inclusive_borrower,
    dated.key_borrower,
    coalesce(products.innovative, false) as innovative_product,
    dated.signed_year,
    dated.disbursed_on,
    dated.disbursed_year,
    dated.first_signing
from dated
left join products on products.product_id = dated.product_id
