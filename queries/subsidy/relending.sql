-- R8 (四): loans marked 支农支小再贷款 whose lender is not a local legal-person
-- institution, or whose borrower is neither agricultural, nor small or micro, nor a
-- private firm with a single-household credit line below 30,000,000 — data errors. Within
-- the scope, a loan placed where its project is (scoped_project_loans).
with marked as (
    select
        l.loan_id, l.inst_id, l.ent_id, l.project_id, l.amount, l.credit_line, l.signed_on,
        coalesce(i.local_legal_person, false) as local_lender,
        coalesce(e.agricultural, false) as agricultural,
        e.size, e.ownership,
        l.district_code
    from scoped_project_loans as l
    left join institutions as i on i.inst_id = l.inst_id
    left join enterprises as e on e.ent_id = l.ent_id
    where l.relending = 'agri_small'
),

checked as (
    select
        *,
        case when not local_lender then 'lender_not_local' end as lender_problem,
        case
            when agricultural or size in ('small', 'micro') then null
            when ownership = 'private' and credit_line is null then 'credit_line_missing'
            when ownership = 'private' and credit_line < $agri_small_credit_max then null
            else 'borrower_not_eligible'
        end as borrower_problem
    from marked
)

select
    c.loan_id, c.inst_id, c.ent_id, c.project_id, c.district_code, c.signed_on,
    c.amount, c.credit_line, c.local_lender, c.agricultural, c.size, c.ownership,
    concat_ws(';', c.lender_problem, c.borrower_problem) as reason,
    concat_ws('；', lender.label, borrower.label) as reason_text
from checked as c
left join labels as lender on lender.code = c.lender_problem
left join labels as borrower on borrower.code = c.borrower_problem
where c.lender_problem is not null or c.borrower_problem is not null
order by c.loan_id
