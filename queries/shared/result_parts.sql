-- The parts of a small result an import keeps for its data version (scoring.shared.tables(…, at_import=True)):
-- written from the parts registered as result_parts, read from the kept table provided under that name.
select part, payload
from result_parts
order by part
