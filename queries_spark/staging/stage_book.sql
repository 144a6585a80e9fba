-- Generated from queries/staging/stage_book.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
-- staging: book
WITH milestones AS (
  SELECT
    applications.app_id,
    applications.inst_id,
    applications.ent_id,
    enterprises.district_code,
    applications.registered_on,
    applications.connected_on,
    CASE
      WHEN applications.decision IN ('approved', 'rejected')
      THEN applications.decided_on
    END AS decided_on,
    CASE WHEN applications.decision = 'approved' THEN applications.decided_on END AS approved_on,
    CASE WHEN applications.decision = 'approved' THEN applications.disbursed_on END AS disbursed_on,
    COALESCE(applications.decision = 'withdrawn', FALSE) AS withdrawal,
    CASE WHEN applications.decision = 'withdrawn' THEN applications.decided_on END AS withdrawn_on
  FROM applications
  LEFT JOIN enterprises
    ON enterprises.ent_id = applications.ent_id
), stages AS (
  SELECT
    *,
    'connect' AS stage,
    1 AS stage_order,
    registered_on AS started_on,
    connected_on AS done_on
  FROM milestones
  UNION ALL
  SELECT
    *,
    'approve' AS stage,
    2 AS stage_order,
    connected_on AS started_on,
    decided_on AS done_on
  FROM milestones
  UNION ALL
  SELECT
    *,
    'disburse' AS stage,
    3 AS stage_order,
    approved_on AS started_on,
    disbursed_on AS done_on
  FROM milestones
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
    END AS deadline_offset
  FROM stages
), marks AS (
  SELECT
    day,
    working,
    provisional,
    work_ordinal,
    SUM(CASE WHEN provisional THEN 1 ELSE 0 END) OVER (ORDER BY day NULLS LAST rows BETWEEN UNBOUNDED preceding AND CURRENT ROW) AS provisional_days
  FROM calendar
)
SELECT
  rules.app_id,
  rules.inst_id,
  rules.ent_id,
  rules.district_code,
  rules.registered_on,
  rules.connected_on,
  rules.decided_on,
  rules.approved_on,
  rules.withdrawal,
  rules.withdrawn_on,
  rules.stage,
  rules.stage_order,
  rules.started_on,
  rules.done_on,
  due.day AS deadline,
  start_mark.work_ordinal AS start_ordinal,
  due.work_ordinal AS deadline_ordinal,
  done_mark.work_ordinal AS done_ordinal,
  withdrawn_mark.work_ordinal AS withdrawn_ordinal,
  due.provisional_days - start_mark.provisional_days + CASE WHEN start_mark.provisional THEN 1 ELSE 0 END > 0 AS provisional_span,
  CASE
    WHEN rules.registered_on IS NULL OR due.day IS NULL
    THEN NULL
    WHEN rules.done_on <= due.day
    THEN GREATEST(rules.registered_on, rules.started_on, rules.done_on)
    WHEN rules.withdrawal AND COALESCE(rules.withdrawn_on <= due.day, TRUE)
    THEN CASE
      WHEN NOT rules.done_on IS NULL
      THEN GREATEST(rules.registered_on, rules.done_on)
    END
    ELSE GREATEST(rules.registered_on, due.day + 1)
  END AS judged_on
FROM rules
LEFT JOIN marks AS start_mark
  ON start_mark.day = rules.started_on
LEFT JOIN marks AS base_mark
  ON base_mark.day = rules.deadline_base
LEFT JOIN marks AS due
  ON due.working AND due.work_ordinal = base_mark.work_ordinal + rules.deadline_offset
LEFT JOIN marks AS done_mark
  ON done_mark.day = rules.done_on
LEFT JOIN marks AS withdrawn_mark
  ON withdrawn_mark.day = rules.withdrawn_on
