-- Submission periods from the registered frame `new_periods` (the demo's reporting history).
insert into submission_periods by name
select * from new_periods
