-- Generated from queries/staging/sla_stages.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
-- staging: cut-off
WITH as_of_mark AS (
  SELECT
    MAX(work_ordinal) AS work_ordinal
  FROM calendar
  WHERE
    day = :as_of
), known AS (
  SELECT
    stage_book.*,
    started_on <= :as_of AS started,
    CASE WHEN done_on <= :as_of THEN done_on END AS done_by,
    withdrawal AND COALESCE(withdrawn_on <= :as_of, TRUE) AS withdrawn,
    CASE WHEN withdrawn_on <= :as_of THEN withdrawn_on END AS withdrawn_by,
    CASE WHEN decided_on <= :as_of THEN decided_on END AS decided_by,
    CASE WHEN approved_on <= :as_of THEN approved_on END AS approved_by,
    as_of_mark.work_ordinal AS as_of_ordinal
  FROM stage_book
  CROSS JOIN as_of_mark
  WHERE
    registered_on <= :as_of
), listed AS (
  SELECT
    app_id,
    inst_id,
    ent_id,
    district_code,
    withdrawn,
    withdrawn_by,
    stage,
    stage_order,
    CASE WHEN started THEN started_on END AS started_on,
    CASE WHEN started THEN deadline END AS deadline,
    deadline AS book_deadline,
    judged_on,
    done_by AS done_on,
    CASE WHEN started THEN start_ordinal END AS start_ordinal,
    CASE WHEN started THEN deadline_ordinal END AS deadline_ordinal,
    CASE
      WHEN NOT done_by IS NULL
      THEN done_ordinal
      WHEN NOT withdrawn_by IS NULL
      THEN withdrawn_ordinal
      ELSE as_of_ordinal
    END AS end_ordinal,
    as_of_ordinal,
    CASE WHEN started THEN provisional_span END AS provisional_span
  FROM known
  WHERE
    stage = 'connect'
    OR (
      stage = 'approve' AND (
        connected_on <= :as_of OR withdrawn
      )
    )
    OR (
      stage = 'disburse'
      AND (
        NOT approved_by IS NULL
        OR withdrawn
        OR (
          NOT decided_by IS NULL AND approved_by IS NULL
        )
      )
    )
), judged AS (
  SELECT
    *,
    CASE
      WHEN started_on IS NULL
      THEN 'not_applicable'
      WHEN deadline IS NULL
      THEN 'open'
      WHEN NOT done_on IS NULL
      THEN CASE WHEN done_on <= deadline THEN 'met' ELSE 'breached' END
      WHEN withdrawn
      THEN CASE WHEN withdrawn_by > deadline THEN 'breached' ELSE 'not_applicable' END
      WHEN :as_of > deadline
      THEN 'breached'
      WHEN deadline_ordinal - as_of_ordinal <= :at_risk_days
      THEN 'at_risk'
      ELSE 'open'
    END AS status
  FROM listed
)
SELECT
  app_id,
  inst_id,
  ent_id,
  district_code,
  stage,
  stage_order,
  started_on,
  deadline,
  done_on,
  status,
  end_ordinal - start_ordinal AS working_days_used,
  CASE WHEN status IN ('open', 'at_risk') THEN deadline_ordinal - as_of_ordinal END AS working_days_left,
  CASE WHEN status = 'breached' THEN end_ordinal - deadline_ordinal END AS working_days_late,
  withdrawn,
  COALESCE(provisional_span, NOT started_on IS NULL) AS provisional,
  book_deadline,
  judged_on
FROM judged
