-- Generated from queries/workflow/evidence.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  l.owner,
  l.sha256,
  f.media_type,
  f.extension,
  f.bytes,
  l.uploaded_name,
  l.uploaded_by,
  l.uploaded_at
FROM evidence_links AS l
JOIN evidence_files AS f
  ON f.sha256 = l.sha256
WHERE
  STARTSWITH(l.owner, :owner_prefix)
ORDER BY
  l.uploaded_at NULLS LAST,
  l.sha256 NULLS LAST
