-- The 41 Chongqing units from data/reference/districts.csv ($path); existing rows are kept.
insert or ignore into districts
select * from read_csv($path, all_varchar = true, header = true)
