-- The user's own lines in a stored run (R12–R15): rank, score, grade, selection, bonus,
-- robustness band. An institution user gets its own row only; the regulator every row
-- (scoped_run_institutions).
select
    inst_id, name, peer_group, tier, eligible, status, status_label, reason, score, composite, deduction, rank,
    grade, interview, interview_reason, selected, selection_reason, change, change_label, bonus,
    median_rank, rank_p05, rank_p95, selection_share
from scoped_run_institutions
where run_id = $run_id
order by peer_group, rank, inst_id
