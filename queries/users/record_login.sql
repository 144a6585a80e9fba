-- One sign-in attempt (scoring/auth.py); scoring/audit.py chains it in the same transaction.
insert into login_events (attempted_at, username, client, outcome) values ($at, $username, $client, $outcome)
