-- Every replaced row, old and new as JSON, with who replaced it, when, and from which file.
insert into audit_log (file_id, table_name, row_key, changed_by, changed_at, old_row, new_row)
select $file_id, $table, row_key, $user, $at, old_row, new_row
from import_changes
where change = 'replaced'
order by row_key
