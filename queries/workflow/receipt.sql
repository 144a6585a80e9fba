-- A submission's head row for its receipt: an institution sees only its own submissions
-- (another's id finds nothing, so its existence is never confirmed), a district none.
select submission_id, inst_id, submitter, channel, submitted_at, accepted, rows_total, rows_inserted,
       rows_replaced, rows_unchanged, error_count
from scoped_submissions
where submission_id = $submission_id
