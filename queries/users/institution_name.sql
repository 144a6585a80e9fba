-- The name an institution user is shown under.
select name from institutions where inst_id = $id
