-- Generated from queries/indicators/pricing.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH lent AS (
  SELECT
    inst_id,
    GREATEST(counted_on, disbursed_on) AS lent_on,
    key_borrower,
    SUM(amount) AS amount,
    SUM(CAST(amount AS DECIMAL(38, 2)) * discount) AS discount_amount
  FROM eval_loans
  WHERE
    disbursed_year = :year
  GROUP BY
    inst_id,
    GREATEST(counted_on, disbursed_on),
    key_borrower
), weighted AS (
  SELECT
    cut_offs.until,
    lent.inst_id,
    SUM(amount) AS amount,
    SUM(discount_amount) AS discount_amount,
    SUM(CASE WHEN key_borrower THEN amount ELSE 0 END) AS key_amount,
    SUM(CASE WHEN key_borrower THEN discount_amount ELSE 0 END) AS key_discount_amount
  FROM cut_offs
  JOIN lent
    ON lent.lent_on <= cut_offs.until
  GROUP BY
    cut_offs.until,
    lent.inst_id
), means AS (
  SELECT
    until,
    inst_id,
    CAST(10000 * discount_amount AS DOUBLE) / NULLIF(amount, 0) AS P1,
    CASE
      WHEN key_amount > 0
      THEN CAST(10000 * key_discount_amount AS DOUBLE) / key_amount
    END AS key_bp,
    CASE
      WHEN amount > key_amount
      THEN CAST(10000 * (
        discount_amount - key_discount_amount
      ) AS DOUBLE) / (
        amount - key_amount
      )
    END AS other_bp
  FROM weighted
)
SELECT
  cut_offs.until,
  roster.inst_id,
  COALESCE(means.P1, 0) AS P1,
  means.key_bp AS P2_key,
  means.other_bp AS P2_other,
  COALESCE(means.key_bp - means.other_bp, 0) AS P2
FROM cut_offs
CROSS JOIN roster
LEFT JOIN means
  ON means.until = cut_offs.until AND means.inst_id = roster.inst_id
ORDER BY
  until NULLS LAST,
  inst_id NULLS LAST
