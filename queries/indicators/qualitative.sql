-- Qualitative indicators (issue 15 §3): the regulator's final 0–100 score of each institution and
-- qualitative indicator for $year, one row per institution and indicator (scoring.indicators spreads
-- them into one column per indicator). A score not yet reviewed is missing.
select inst_id, indicator, cast(final_score as double) as score
from qualitative_scores
where year = $year and final_score is not null
