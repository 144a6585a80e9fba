-- Free-text cells (import_column) holding control characters (NUL, backspace …, not
-- tab or line breaks): invisible in Excel, they break files written from the data.
select row_no, value, '含有不可见的控制字符（常见于从其他系统复制的内容）：请删除后再导入' as message
from import_column
where value is not null
  and regexp_matches(value, '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')
