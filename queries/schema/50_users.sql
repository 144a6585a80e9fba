-- Accounts of the dashboard (scoring/auth.py). A user sees the rows of one scope
-- (scoring/access.py): the regulator everything, a district official one district,
-- an institution user one institution. Passwords are kept only as argon2id hashes;
-- a user who signs in through OIDC (st.login) is found by e-mail and may have none.

create table if not exists users (
    username      varchar primary key,
    password_hash varchar,
    role          varchar not null check (role in ('regulator', 'district', 'institution')),
    inst_id       varchar,
    district_code varchar,
    display_name  varchar not null,
    email         varchar,
    created_at    timestamp not null default current_timestamp,
    check ((role = 'institution') = (inst_id is not null)),
    check ((role = 'district') = (district_code is not null))
);
