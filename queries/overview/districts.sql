-- The 41 Chongqing units (reference data, public): code, name and category.
select district_code, name, category
from districts
order by district_code
