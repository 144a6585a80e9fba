-- One attachment's bytes, only when it is linked to an owner under $owner_prefix.
select f.content, f.extension
from evidence_files as f
where f.sha256 = $sha256
  and exists (select 1 from evidence_links as l where l.sha256 = f.sha256 and starts_with(l.owner, $owner_prefix))
