-- Whether the database was built as the demo (its accounts have public passwords).
select count(*) > 0 from meta where key = 'demo' and value = 'true'
