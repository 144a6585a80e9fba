-- The budget simulator's rows (scoring.budget): every project and subsidy kind of the
-- baseline (budget_baseline) or the variant (budget_variant), both built by
-- budget/project_kinds. Enterprise, district and institutions are the variant's where it
-- has the row, else the baseline's.
select
    coalesce(v.project_id, b.project_id) as project_id,
    coalesce(v.kind, b.kind) as kind,
    coalesce(v.ent_id, b.ent_id) as ent_id,
    coalesce(v.district_code, b.district_code) as district_code,
    coalesce(v.inst_ids, b.inst_ids) as inst_ids,
    coalesce(b.fen, 0) as baseline_fen,
    coalesce(v.fen, 0) as variant_fen
from budget_variant as v
full outer join budget_baseline as b on b.project_id = v.project_id and b.kind = v.kind
