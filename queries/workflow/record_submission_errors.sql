-- The full error list of a refused submission, from the registered frame `receipt_errors`.
insert into submission_errors by name
select * from receipt_errors
