-- A submission's head row, accepted or refused (the receipt reads it back).
insert into submissions (submission_id, inst_id, submitter, channel, submitted_at, accepted, rows_total,
                         rows_inserted, rows_replaced, rows_unchanged, error_count)
values ($submission_id, $inst_id, $submitter, $channel, $submitted_at, $accepted, $rows_total,
        $rows_inserted, $rows_replaced, $rows_unchanged, $error_count)
