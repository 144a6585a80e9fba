-- One appeal (the regulator's decision reads it first).
select appeal_id, run_id, inst_id, status, decided_at
from appeals
where appeal_id = $appeal_id
