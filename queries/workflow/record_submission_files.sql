-- The files of a submission, from the registered frame `receipt_files`.
insert into submission_files by name
select * from receipt_files
