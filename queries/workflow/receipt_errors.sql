-- The full error list of a refused submission on its receipt, within the user's scope.
select e.position, e.file_name, e.row_no, e.column_name, e.cell_value, e.message
from submission_errors as e
join scoped_submissions as s on s.submission_id = e.submission_id
where e.submission_id = $submission_id
order by e.position
