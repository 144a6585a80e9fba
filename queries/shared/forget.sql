-- Forget every kept result (scoring.shared.forget): the page benchmark's "nothing computed yet".
delete from shared_results
