-- Store a run's rows of run_institutions from the registered frame `new_rows` (scoring.runs.store).
insert into run_institutions by name
select * from new_rows
