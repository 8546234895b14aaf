-- A shelter code's grants (避難所), found by the code when it is revoked (V19 added the column, not its index).
-- Runs unchanged on H2 2.x and PostgreSQL 15+.
create index access_grant_shelter_code_ix on access_grant (shelter_code_id);
