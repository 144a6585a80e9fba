-- Stored institutions that no file of this call redefines join the incoming ones
-- (import_institution_kinds), so a kind check sees each institution as it will be.
insert into import_institution_kinds
select inst_id, kind
from institutions
where inst_id not in (select inst_id from import_institution_kinds)
