-- Keep one part of a result built for this data version (scoring.shared).
insert or replace into shared_results (data_version, name, params, part, payload)
values ($data_version, $result_name, $params, $part, $payload)
