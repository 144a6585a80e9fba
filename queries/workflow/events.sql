-- The workflow trail, newest first: an institution sees the steps about itself, the regulator every step.
select event_id, happened_at, actor, inst_id, action, subject, detail
from workflow_events
where ($scope_inst is null or inst_id = $scope_inst)
  and $scope_district is null
  and ($subject is null or subject = $subject)
order by event_id desc
limit 500
