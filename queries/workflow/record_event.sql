-- One step of the workflow for the hash-chained trail (scoring.trail.record; sealed in the same transaction).
insert into workflow_events (happened_at, actor, inst_id, action, subject, detail)
values ($at, $actor, $inst_id, $action, $subject, $detail)
