-- The reported data's own version token (scoring.db.bump_data_version with reported=True): bumped by an
-- import and a demo build, not by an evaluation stored or published. The books kept in the file
-- (scoring.shared.keep_books) read only reported tables, and are keyed by it.
insert or replace into meta (key, value) values ('reported_version', $version)
