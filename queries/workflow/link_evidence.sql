-- Attach a stored file to what it is evidence for (a self-assessment or an appeal).
insert or ignore into evidence_links (owner, sha256, uploaded_name, uploaded_by, uploaded_at)
values ($owner, $sha256, $uploaded_name, $uploaded_by, $at)
