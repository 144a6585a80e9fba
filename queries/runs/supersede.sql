-- A corrected run replaces the published run $old_id (issue 15 §4): the new run is published with
-- the reason it exists, the old one is marked superseded; neither run's results change.
update evaluation_runs
set published_at = case when run_id = $new_id then $now else published_at end,
    supersedes = case when run_id = $new_id then $old_id else supersedes end,
    correction_reason = case when run_id = $new_id then $reason else correction_reason end,
    superseded_by = case when run_id = $old_id then $new_id else superseded_by end
where run_id in ($old_id, $new_id)
