-- Password guessing throttle (docs/security.md, "Password guessing"): failed logins counted per
-- (account, source address), per account and per source address, for residents and staff alike. The key is an
-- HMAC of realm, scope, municipality and e-mail or address, so neither an e-mail nor an address is stored. Rows
-- are locked while an attempt is claimed, so concurrent guesses are counted one by one (the database decides,
-- not a check in Java). Owned by login/LoginAttempts.
create table login_throttle (
    key_hash        varchar(64) primary key,
    scope           varchar(8) not null check (scope in ('pair', 'account', 'source')),
    failures        integer not null check (failures >= 0),
    last_failure_at timestamp with time zone not null
);
create index login_throttle_last_ix on login_throttle (last_failure_at);
