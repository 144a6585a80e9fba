-- Store a run's rows of evaluation_runs from the registered frame `new_rows` (scoring.runs.store).
insert into evaluation_runs by name
select * from new_rows
