-- Self-assessment beside the regulator's review, per bank or leasing company in scope and qualitative
-- indicator ($indicators) of $year; institutions without an entry are listed with empty scores.
with expected as (
    select i.inst_id, i.name, i.kind, q.indicator
    from scoped_reporters as i
    cross join (select unnest($indicators) as indicator) as q
)

select e.inst_id, e.name, e.kind, e.indicator, s.self_score, s.justification, s.self_by, s.self_at,
       s.final_score, s.review_comment, s.reviewed_by, s.reviewed_at
from expected as e
left join qualitative_scores as s
    on s.inst_id = e.inst_id and s.indicator = e.indicator and s.year = $year
order by e.kind, e.inst_id, e.indicator
