-- The workflow settings a regulator has set (scoring/reporting.py fills in the defaults).
select key, value
from workflow_settings
