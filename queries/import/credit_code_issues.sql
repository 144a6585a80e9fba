-- Cells of a credit-code column (import_column) holding a code that failed the
-- GB 32100-2015 check (import_bad_codes: value, Chinese message).
select c.row_no, c.value, b.message
from import_column c
join import_bad_codes b on b.value = c.value
