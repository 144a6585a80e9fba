-- Drop the cooperating list of year $next before a published run writes its own (R13).
delete from cooperation
where year = $next
