-- Staff edit the municipality's 減免 categories and group categories (docs/money.md, docs/groups.md).
-- A category that applications or groups already name is retired instead of removed: retired_at set, it is no
-- longer offered to residents, and what was granted under it keeps its meaning. Runs on H2 2.x and PostgreSQL.
alter table reduction_category add column retired_at timestamp with time zone;
alter table group_category add column retired_at timestamp with time zone;
