-- The attachments of the owners that start with $owner_prefix (without their bytes).
select l.owner, l.sha256, f.media_type, f.extension, f.bytes, l.uploaded_name, l.uploaded_by, l.uploaded_at
from evidence_links as l
join evidence_files as f on f.sha256 = l.sha256
where starts_with(l.owner, $owner_prefix)
order by l.uploaded_at, l.sha256
