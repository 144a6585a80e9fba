-- staging: book
-- The book the evaluation year $year's 技改专项贷 come from, as it stood at the year's end:
-- loans and direct leases signed by then that finance a manufacturing enterprise's project
-- filed by then, classified once (R8 re-lending, inclusive and key borrowers, innovative
-- products, first signings). Every cut-off of the year (staging/eval_loans) keeps part of it,
-- so a session that evaluates several (the race's twelve month ends) builds it once.
-- A later year's book keeps the same rows for every cut-off of $year: staging/eval_loans, its only
-- reader, keeps the loans signed and filed by the cut-off, and a first signing is the same over the
-- later book (the loans it adds to an institution's project were signed after all those a cut-off
-- keeps). So where the process shares its books, one book built as of the line below serves every
-- year (the overview, the races and the projection read three years).
-- shared book: $year = 9999
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
        loans.disbursed_on,
        projects.filed_on,
        projects.pooled_on,
        projects.district_code as project_district_code,
        enterprises.district_code as ent_district_code,
        enterprises.size,
        enterprises.ownership,
        enterprises.agricultural,
        concat(';', replace(coalesce(enterprises.tags, ''), ' ', ''), ';') as tag_list
    from loans
    join projects on projects.project_id = loans.project_id
    join enterprises on enterprises.ent_id = loans.ent_id
    where enterprises.manufacturing
      and projects.filed_on <= make_date($year, 12, 31)
      and loans.signed_on <= make_date($year, 12, 31)
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
        -- 揭榜 "projects added": the institution's first signing on the project. Over the year's
        -- book this equals the first signing among the loans a cut-off keeps: a project's loans
        -- share its filing day, so a cut-off keeps the loans signed by then, the earliest of
        -- them whenever it keeps any (a grouped minimum joined back: cheaper than a window)
        signed_on = first_signed.first_signed_on as first_signing
    from classified
    join (
        select inst_id, project_id, min(signed_on) as first_signed_on
        from classified
        group by inst_id, project_id
    ) as first_signed using (inst_id, project_id)
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
    dated.signed_on,
    dated.signed_year,
    dated.disbursed_on,
    dated.filed_on,
    dated.pooled_on,
    dated.project_district_code,
    dated.first_signing
from dated
left join products on products.product_id = dated.product_id
