-- A counter booking's Idempotency-Key is the clerk's, not the booker's: a walk-in gets a new account
-- on each request, so (account_id, idempotency_key) cannot recognise a repeated submit. NULLs are
-- distinct in a unique index on H2 and PostgreSQL alike, so residents' own bookings are unaffected.
create unique index reservation_counter_key_uq on reservation (booked_by, idempotency_key);
