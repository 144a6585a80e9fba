-- Generated from queries/workflow/evidence_content.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
SELECT
  f.content,
  f.extension
FROM evidence_files AS f
WHERE
  f.sha256 = :sha256
  AND EXISTS(
    SELECT
      1
    FROM evidence_links AS l
    WHERE
      l.sha256 = f.sha256 AND STARTSWITH(l.owner, :owner_prefix)
  )
