-- Store a run's rows of run_drop_one from the registered frame `new_rows` (scoring.runs.store).
insert into run_drop_one by name
select * from new_rows
