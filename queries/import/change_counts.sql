-- How many rows of a part each change (import_changes) applies to.
select change, count(*) from import_changes group by change
