-- The regulator's final score and comments of a qualitative indicator (the score that enters the composite).
insert into qualitative_scores (year, inst_id, indicator, final_score, review_comment, reviewed_by, reviewed_at)
values ($year, $inst_id, $indicator, $score, $comment, $actor, $at)
on conflict (year, inst_id, indicator) do update
set final_score = excluded.final_score, review_comment = excluded.review_comment,
    reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at
