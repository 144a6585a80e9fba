-- The budget simulator's result (scoring.budget.COLUMNS): per project and subsidy kind the
-- baseline and the variant subsidy, the change, what the budget pays (budget_paid: fen per
-- project and kind; every row in full when $unlimited) and what waits, and the variant's
-- city part, half-up to the fen with the city share $city_share_num / $city_share_den
-- (as subsidy/queue splits), the district paying the rest. Yuan, exact to the fen.
with money as (
    select
        r.*,
        case when $unlimited then r.variant_fen else coalesce(p.paid_fen, 0) end as paid_fen,
        (2 * cast(r.variant_fen as hugeint) * $city_share_num + $city_share_den)
            // nullif(2 * $city_share_den, 0) as city_fen
    from budget_rows as r
    left join budget_paid as p on p.project_id = r.project_id and p.kind = r.kind
)

select
    m.project_id, m.kind, k.label as kind_text, m.ent_id, m.district_code, m.inst_ids,
    cast(cast(m.baseline_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as baseline,
    cast(cast(m.variant_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as variant,
    cast(cast(m.variant_fen - m.baseline_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as change,
    cast(cast(m.paid_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as paid,
    cast(cast(m.variant_fen - m.paid_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as waiting,
    cast(cast(m.city_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as city_part,
    cast(cast(m.variant_fen - m.city_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as district_part
from money as m
left join labels as k on k.code = m.kind
order by m.project_id, m.kind
