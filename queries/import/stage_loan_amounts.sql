-- The amount (as text) of every loan a file of this call (re)defines.
insert into import_loan_amounts
select loan_id, amount from query_table($view) where loan_id is not null
