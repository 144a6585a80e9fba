-- Generated from queries/sla/stages.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
/* R10 "3个1": every stage of every application, as it stood at the end of $as_of. */
/* Parameters: $as_of (date); $week_calendar_days (boolean: "one week" is seven calendar */
/* days instead of five working days); $scope_inst, $scope_district (scoring.access.Scope). */
/* Unordered: scoring.sla.stage_table appends its order (by app_id, stage_order); the temp */
/* table's readers aggregate or sort, and sorting millions of rows costs more than finding them. */
/* A milestone dated after $as_of is not yet known, so a past as-of day shows the world as */
/* it was then. Each stage starts from the actual previous milestone; a stage is listed once */
/* it has started, or once the application is closed (withdrawn, rejected) and it never will. */
/* Working days are counted through calendar.work_ordinal (R9): the n-th working day */
/* strictly after d is the working day whose ordinal is ordinal(d) + n. */
WITH known AS (
  /* applications registered by $as_of, with only the milestones reached by then */
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
    COALESCE(applications.decision = 'withdrawn', FALSE) /* a withdrawal without a date is known at every as-of day */
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
    AND (
      :scope_inst IS NULL OR applications.inst_id = :scope_inst
    )
    AND (
      :scope_district IS NULL OR enterprises.district_code = :scope_district
    )
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
  /* a decision without a connection date has no start: the approval stage is not listed */
  /* and the unconnected connect stage shows the gap as a breach */
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
  /* the deadline is the `deadline_offset`-th working day strictly after `deadline_base`: */
  /* connect 1 working day; a week 5 working days, or (calendar setting) the first working */
  /* day on or after start + 7, i.e. 1 working day after start + 6 (a time limit ending on */
  /* a rest day runs to the next working day, as in 民法典 第二百零三条) */
  SELECT
    *,
    CASE
      WHEN stage <> 'connect' AND :week_calendar_days
      THEN started_on + 6
      ELSE started_on
    END AS deadline_base,
    CASE WHEN stage = 'connect' OR :week_calendar_days THEN 1 ELSE 5 END AS deadline_offset,
    COALESCE(done_on, withdrawn_on, :as_of) AS end_day
  FROM stages
), marks AS (
  /* per day: its working-day ordinal and the number of provisional days up to it */
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
    due.provisional_days /* any provisional day in started_on .. deadline */ - start_mark.provisional_days + CASE WHEN start_mark.provisional THEN 1 ELSE 0 END > 0 AS provisional_span
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
      THEN 'open' /* beyond the calendar's range: cannot be judged yet */
      WHEN NOT done_on IS NULL
      THEN CASE WHEN done_on <= deadline THEN 'met' ELSE 'breached' END
      WHEN withdrawn
      THEN CASE WHEN withdrawn_on > deadline THEN 'breached' ELSE 'not_applicable' END
      WHEN :as_of > deadline
      THEN 'breached'
      WHEN deadline_ordinal - as_of_mark.work_ordinal <= 1
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
