-- An institution's appeal against a published run.
insert into appeals (appeal_id, run_id, inst_id, indicators, reasons, filed_by, filed_at, status)
values ($appeal_id, $run_id, $inst_id, $indicators, $reasons, $actor, $at, 'filed')
