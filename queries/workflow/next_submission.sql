-- The next submission number (scoring.receipts: SUB-<day>-<number>).
select nextval('submission_seq') as number
