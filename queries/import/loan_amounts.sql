-- Stored loans that no file of this call redefines join the incoming ones
-- (import_loan_amounts, amounts as text), so a payment is checked against its loan as
-- it will be.
insert into import_loan_amounts
select loan_id, cast(amount as varchar)
from loans
where loan_id not in (select loan_id from import_loan_amounts)
