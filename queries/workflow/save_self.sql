-- An institution's self-assessment of a qualitative indicator (kept beside the regulator's review).
insert into qualitative_scores (year, inst_id, indicator, self_score, justification, self_by, self_at)
values ($year, $inst_id, $indicator, $score, $justification, $actor, $at)
on conflict (year, inst_id, indicator) do update
set self_score = excluded.self_score, justification = excluded.justification, self_by = excluded.self_by,
    self_at = excluded.self_at
