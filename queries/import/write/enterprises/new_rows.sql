-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of enterprises, defaults filled in.
create temp table import_new as
select
    "ent_id" as "ent_id",
    "name" as "name",
    "district_code" as "district_code",
    "size" as "size",
    "ownership" as "ownership",
    lower("manufacturing") in ('true', '是', '1') as "manufacturing",
    lower(coalesce("agricultural", 'false')) in ('true', '是', '1') as "agricultural",
    nullif(trim(regexp_replace(regexp_replace("tags", '\s*[;；]\s*', ';', 'g'), ';+', ';', 'g'), ';'), '') as "tags"
from import_incoming
