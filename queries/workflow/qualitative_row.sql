-- One institution's qualitative entry of one indicator and year, if any.
select self_score, final_score
from qualitative_scores
where year = $year and inst_id = $inst_id and indicator = $indicator
