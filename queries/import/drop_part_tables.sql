-- One part's working tables go once it is written (the next part builds its own).
drop table import_new;
drop table import_changes
