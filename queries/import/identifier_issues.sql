-- Identifiers (keys and references, import_column) outside the plain ID character set:
-- letters of any script, digits and - _ . / ( ). The importer has already put them in
-- NFKC form, upper case, without invisible characters (README "导入时的规范化"); what
-- is left (spaces, quotes, control characters …) would make two IDs look alike.
select row_no, value,
       '编号只能由字母、数字、汉字和 - _ . / ( ) 组成，不能含空格、引号、控制字符或其他符号' as message
from import_column
where value is not null
  and not regexp_full_match(value, '[\p{L}\p{N}._/()-]+')
