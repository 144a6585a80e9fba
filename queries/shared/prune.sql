-- Results of older data versions are never asked for again (scoring.shared).
delete from shared_results
where data_version <> $data_version
