-- R10: the stages judged met or breached whose deadline falls in $year up to the cut-off $until,
-- judged as of the as-of day (staging/sla_stages): what S1 counts per institution and D5 per
-- district, one selection for both. With the deadline and the day each was first judged so
-- (staging/stage_book), an earlier cut-off's are read off these (districts/indicators).
select inst_id, district_code, status, deadline, judged_on
from sla_stages
where extract(year from deadline) = $year
  and deadline <= $until
  and status in ('met', 'breached')
  -- implied by the lines above (a judged stage has started, and its deadline is the book's): it
  -- only lets the filter reach the book before the stages are judged
  and book_deadline between make_date($year, 1, 1) and $until
