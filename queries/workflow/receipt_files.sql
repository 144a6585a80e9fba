-- The files of a submission on its receipt, within the user's scope.
select f.position, f.file_name, f.table_name, f.sha256, f.bytes, f.rows_total, f.rows_inserted, f.rows_replaced,
       f.rows_unchanged
from submission_files as f
join scoped_submissions as s on s.submission_id = f.submission_id
where f.submission_id = $submission_id
order by f.position
