-- R10: the stages judged met or breached whose deadline falls in $year, counted at every cut-off of
-- the table cut_offs: due by its `until`, judged as of its `as_of` — what S1 counts per institution
-- and D5 per district, one count for both. The stages are judged once, as of the latest cut-off
-- ($until, $as_of: staging/sla_stages); an earlier cut-off keeps those judged by its own as-of day
-- (judged_on, staging/stage_book: a stage judged then stays judged the same). Counted first by those
-- days, so that the month ends of a race are one pass over the stages.
with due as (
    select inst_id, district_code, status, deadline, judged_on
    from sla_stages
    where extract(year from deadline) = $year
      and deadline <= $until
      and status in ('met', 'breached')
      -- implied by the lines above (a judged stage has started, and its deadline is the book's): it
      -- only lets the filter reach the book before the stages are judged
      and book_deadline between make_date($year, 1, 1) and $until
),

days as (
    select
        inst_id,
        district_code,
        deadline,
        judged_on,
        sum(case when status = 'met' then 1 else 0 end) as met,
        sum(case when status = 'breached' then 1 else 0 end) as breached
    from due
    group by inst_id, district_code, deadline, judged_on
)

select cut_offs.until, days.inst_id, days.district_code, sum(days.met) as met, sum(days.breached) as breached
from cut_offs
join days on days.deadline <= cut_offs.until and days.judged_on <= cut_offs.as_of
group by cut_offs.until, days.inst_id, days.district_code
