-- Store a run's rows of run_indicators from the registered frame `new_rows` (scoring.runs.store).
insert into run_indicators by name
select * from new_rows
