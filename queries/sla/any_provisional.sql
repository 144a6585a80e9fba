-- R9 whether any of the user's judged stages as of $as_of has a time limit counted on a
-- provisional calendar (a year without a published holiday schedule: Monday to Friday).
select coalesce(bool_or(provisional), false) as any_provisional
from scoped_stages
