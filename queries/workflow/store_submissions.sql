-- Submission head rows from the registered frame `new_submissions` (the demo's reporting history).
insert into submissions by name
select * from new_submissions
