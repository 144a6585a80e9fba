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

-- Every sign-in attempt through the built-in form (scoring/auth.py), for the regulator's
-- security page; chained by hash like audit_log (scoring/audit.py).
create sequence if not exists login_event_seq start 1;

create table if not exists login_events (
    event_id  bigint primary key default nextval('login_event_seq'),
    attempted_at timestamp not null,
    username  varchar not null,  -- as typed (cut to 64 characters): an unknown name is recorded too
    client    varchar not null,  -- the client's address as the server sees it
    outcome   varchar not null check (outcome in ('success', 'failure', 'throttled', 'busy')),
    row_hash  varchar
);
