-- An accepted part of a file, with the SHA-256 of the file's bytes and its row counts.
insert into import_files (file_name, table_name, sha256, rows_total, rows_inserted, rows_replaced,
                          rows_unchanged, imported_by, imported_at)
values ($file_name, $table, $sha256, $total, $inserted, $replaced, $unchanged, $user, $at)
returning file_id
