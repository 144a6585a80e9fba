-- Appeals in the user's scope (an institution its own, the regulator all; $run_id null = every run), newest first.
select a.appeal_id, a.run_id, a.inst_id, i.name, a.indicators, a.reasons, a.filed_by, a.filed_at, a.status,
       a.decision, a.decided_by, a.decided_at, a.corrected_run_id
from scoped_appeals as a
left join institutions as i on i.inst_id = a.inst_id
where $run_id is null or a.run_id = $run_id
order by a.filed_at desc, a.appeal_id desc
