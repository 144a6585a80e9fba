-- Generated from queries/indicators/exclusions.sql by `python -m scoring.spark_sql` (SQLGlot 30.31.0). Do not edit.
WITH vetoes AS (
  SELECT
    inst_id,
    LISTAGG(
      
        CONCAT(
          COALESCE(
            CASE kind WHEN 'violation' THEN '重大违规' WHEN 'risk_event' THEN '风险事件' ELSE '数据质量问题' END,
            ''
          ),
          COALESCE(COALESCE(CONCAT('（', COALESCE(note, ''), '）'), ''), '')
        ),
        '；'
      
    ) WITHIN GROUP (ORDER BY
      flag_id NULLS LAST) AS veto_facts
  FROM flags
  WHERE
    year = :year AND ARRAY_CONTAINS(:veto_kinds, kind)
  GROUP BY
    inst_id
), lent_days AS (
  SELECT
    inst_id,
    GREATEST(counted_on, disbursed_on) AS lent_on,
    COUNT(*) AS loans
  FROM eval_loans
  WHERE
    disbursed_year = :year
  GROUP BY
    inst_id,
    GREATEST(counted_on, disbursed_on)
), loans_in_year AS (
  SELECT
    cut_offs.until,
    lent_days.inst_id,
    CAST(SUM(lent_days.loans) AS BIGINT) AS loans
  FROM cut_offs
  JOIN lent_days
    ON lent_days.lent_on <= cut_offs.until
  GROUP BY
    cut_offs.until,
    lent_days.inst_id
), capital_rule AS (
  SELECT
    cut_offs.until,
    roster.*,
    CASE
      WHEN local_legal_person
      THEN :leasing_local_min_capital
      ELSE :leasing_other_min_capital
    END AS min_capital
  FROM cut_offs
  CROSS JOIN roster
), judged AS (
  SELECT
    capital_rule.until,
    capital_rule.inst_id,
    capital_rule.name,
    capital_rule.peer_group,
    capital_rule.tier,
    capital_rule.local_legal_person,
    capital_rule.paid_in_capital,
    COALESCE(loans_in_year.loans, 0) AS loans_in_year,
    vetoes.veto_facts,
    peer_group = 'bank' OR COALESCE(paid_in_capital, 0) >= min_capital AS eligible,
    TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(CAST(CAST(min_capital AS DOUBLE) / 100000000 AS DECIMAL(18, 2)) AS STRING))) AS min_capital_yi,
    TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(CAST(CAST(paid_in_capital AS DOUBLE) / 100000000 AS DECIMAL(18, 2)) AS STRING))) AS paid_in_capital_yi
  FROM capital_rule
  LEFT JOIN vetoes
    ON vetoes.inst_id = capital_rule.inst_id
  LEFT JOIN loans_in_year
    ON loans_in_year.until = capital_rule.until
    AND loans_in_year.inst_id = capital_rule.inst_id
)
SELECT
  until,
  inst_id,
  name,
  peer_group,
  tier,
  loans_in_year,
  CASE
    WHEN NOT veto_facts IS NULL
    THEN 'vetoed'
    WHEN loans_in_year < :min_loans
    THEN 'insufficient_data'
    ELSE 'scored'
  END AS status,
  CASE
    WHEN NOT veto_facts IS NULL
    THEN CONCAT('一票否决：', COALESCE(veto_facts, ''), '，本年度不参与排名、不得入选')
    WHEN loans_in_year = 0
    THEN '本年度无技改专项贷发放，列示但不评分'
    WHEN loans_in_year < :min_loans
    THEN CONCAT(
      '本年度技改专项贷仅',
      COALESCE(CAST(loans_in_year AS STRING), ''),
      '笔，少于最低',
      COALESCE(CAST(:min_loans AS STRING), ''),
      '笔，列示但不评分'
    )
    ELSE ''
  END AS reason,
  eligible,
  CASE
    WHEN eligible
    THEN ''
    WHEN paid_in_capital IS NULL
    THEN '未报送实缴资本，无法认定融资租赁公司遴选资格'
    ELSE CONCAT(
      COALESCE(CASE WHEN local_legal_person THEN '注册地在重庆' ELSE '注册地不在重庆' END, ''),
      '的融资租赁公司实缴资本须不低于',
      COALESCE(min_capital_yi, ''),
      '亿元（现为',
      COALESCE(paid_in_capital_yi, ''),
      '亿元），不符合遴选资格'
    )
  END AS eligibility_reason
FROM judged
ORDER BY
  until NULLS LAST,
  peer_group NULLS LAST,
  inst_id NULLS LAST
