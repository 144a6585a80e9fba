-- Generated from queries/staging/sla_stages.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
-- staging: materialised
WITH known AS (
  SELECT
    applications.app_id,
    applications.inst_id,
    applications.ent_id,
    enterprises.district_code,
    applications.registered_on,
    CASE WHEN applications.connected_on <= :as_of THEN applications.connected_on END AS connected_on,
    CASE
      WHEN applications.decision IN ('approved', 'rejected')
      AND applications.decided_on <= :as_of
      THEN applications.decided_on
    END AS decided_on,
    CASE
      WHEN applications.decision = 'approved' AND applications.decided_on <= :as_of
      THEN applications.decided_on
    END AS approved_on,
    CASE
      WHEN applications.decision = 'approved'
      AND applications.decided_on <= :as_of
      AND applications.disbursed_on <= :as_of
      THEN applications.disbursed_on
    END AS disbursed_on,
    COALESCE(applications.decision = 'withdrawn', FALSE)
    AND COALESCE(applications.decided_on <= :as_of, TRUE) AS withdrawn,
    CASE
      WHEN applications.decision = 'withdrawn' AND applications.decided_on <= :as_of
      THEN applications.decided_on
    END AS withdrawn_on
  FROM applications
  LEFT JOIN enterprises
    ON enterprises.ent_id = applications.ent_id
  WHERE
    applications.registered_on <= :as_of
), closing AS (
  SELECT
    *,
    withdrawn OR (
      NOT decided_on IS NULL AND approved_on IS NULL
    ) AS closed
  FROM known
), stages AS (
  SELECT
    app_id,
    inst_id,
    ent_id,
    district_code,
    withdrawn,
    withdrawn_on,
    'connect' AS stage,
    1 AS stage_order,
    registered_on AS started_on,
    connected_on AS done_on
  FROM closing
  UNION ALL
  SELECT
    app_id,
    inst_id,
    ent_id,
    district_code,
    withdrawn,
    withdrawn_on,
    'approve' AS stage,
    2 AS stage_order,
    connected_on AS started_on,
    decided_on AS done_on
  FROM closing
  WHERE
    NOT connected_on IS NULL OR withdrawn
  UNION ALL
  SELECT
    app_id,
    inst_id,
    ent_id,
    district_code,
    withdrawn,
    withdrawn_on,
    'disburse' AS stage,
    3 AS stage_order,
    approved_on AS started_on,
    disbursed_on AS done_on
  FROM closing
  WHERE
    NOT approved_on IS NULL OR closed
), rules AS (
  SELECT
    *,
    CASE
      WHEN stage <> 'connect' AND :week_calendar_days
      THEN started_on + (
        :calendar_week_days - 1
      )
      ELSE started_on
    END AS deadline_base,
    CASE
      WHEN stage = 'connect'
      THEN :connect_days
      WHEN :week_calendar_days
      THEN 1
      ELSE :week_days
    END AS deadline_offset,
    COALESCE(done_on, withdrawn_on, :as_of) AS end_day
  FROM stages
), marks AS (
  SELECT
    day,
    working,
    provisional,
    work_ordinal,
    SUM(CASE WHEN provisional THEN 1 ELSE 0 END) OVER (ORDER BY day NULLS LAST rows BETWEEN UNBOUNDED preceding AND CURRENT ROW) AS provisional_days
  FROM calendar
), dated AS (
  SELECT
    rules.*,
    due.day AS deadline,
    start_mark.work_ordinal AS start_ordinal,
    due.work_ordinal AS deadline_ordinal,
    end_mark.work_ordinal AS end_ordinal,
    due.provisional_days - start_mark.provisional_days + CASE WHEN start_mark.provisional THEN 1 ELSE 0 END > 0 AS provisional_span
  FROM rules
  LEFT JOIN marks AS start_mark
    ON start_mark.day = rules.started_on
  LEFT JOIN marks AS base_mark
    ON base_mark.day = rules.deadline_base
  LEFT JOIN marks AS due
    ON due.working AND due.work_ordinal = base_mark.work_ordinal + rules.deadline_offset
  LEFT JOIN marks AS end_mark
    ON end_mark.day = rules.end_day
), judged AS (
  SELECT
    dated.*,
    CASE
      WHEN started_on IS NULL
      THEN 'not_applicable'
      WHEN deadline IS NULL
      THEN 'open'
      WHEN NOT done_on IS NULL
      THEN CASE WHEN done_on <= deadline THEN 'met' ELSE 'breached' END
      WHEN withdrawn
      THEN CASE WHEN withdrawn_on > deadline THEN 'breached' ELSE 'not_applicable' END
      WHEN :as_of > deadline
      THEN 'breached'
      WHEN deadline_ordinal - as_of_mark.work_ordinal <= :at_risk_days
      THEN 'at_risk'
      ELSE 'open'
    END AS status,
    deadline_ordinal - as_of_mark.work_ordinal AS left_ordinals
  FROM dated
  LEFT JOIN marks AS as_of_mark
    ON as_of_mark.day = :as_of
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
  CASE WHEN status IN ('open', 'at_risk') THEN left_ordinals END AS working_days_left,
  CASE WHEN status = 'breached' THEN end_ordinal - deadline_ordinal END AS working_days_late,
  withdrawn,
  COALESCE(provisional_span, NOT started_on IS NULL) AS provisional
FROM judged
