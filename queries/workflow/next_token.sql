-- The next API token number (T0001 …).
select nextval('api_token_seq') as number
