-- The kind of every institution a file of this call (re)defines.
insert into import_institution_kinds
select inst_id, kind from query_table($view) where inst_id is not null
