-- Kept tables of a result beyond its `$keep` most recently kept parameter sets in this data version
-- (scoring.shared.stored drops them): the stages of as-of days no page has asked for lately.
select params, table_name
from shared_tables
where data_version = $data_version
  and name = $result_name
  and params not in (
      select params
      from shared_tables
      where data_version = $data_version and name = $result_name
      group by params
      order by max(kept_at) desc, params
      limit $keep
  )
