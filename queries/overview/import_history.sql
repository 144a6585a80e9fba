-- The files a user imported (DATA.md: each accepted file is kept with its SHA-256 and row
-- counts), newest first. The regulator sees every user's ($user null).
select
    file_name, table_name, rows_total, rows_inserted, rows_replaced, rows_unchanged, imported_by, imported_at, sha256
from import_files
where $user is null or imported_by = $user
order by imported_at desc, file_id desc
limit 200
