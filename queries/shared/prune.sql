-- Results of older data versions are never asked for again (scoring.shared). Versions are
-- timestamps (scoring.db.bump_data_version): a warm-up still running for an older version
-- deletes nothing newer than its own.
delete from shared_results
where data_version < $data_version
