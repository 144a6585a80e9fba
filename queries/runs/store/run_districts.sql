-- Store a run's rows of run_districts from the registered frame `new_rows` (scoring.runs.store).
insert into run_districts by name
select * from new_rows
