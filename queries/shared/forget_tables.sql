-- Forget every kept table's row (scoring.shared.forget drops the tables themselves).
delete from shared_tables
