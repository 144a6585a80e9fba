-- Keep an attachment's bytes once, by the SHA-256 of its content (scoring/evidence.py).
insert into evidence_files (sha256, media_type, extension, bytes, content, stored_at)
select $sha256, $media_type, $extension, $bytes, $content, $at
where not exists (select 1 from evidence_files where sha256 = $sha256)
