-- The regulator's decision on an appeal, with reasons.
update appeals
set status = $status, decision = $decision, decided_by = $actor, decided_at = $at
where appeal_id = $appeal_id and status = 'filed'
