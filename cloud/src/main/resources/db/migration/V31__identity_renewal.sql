-- Re-verification between logins (issue 17, docs/identity.md "Re-verification between logins").
--
-- To ask xID about a resident who is not there, the cloud keeps the refresh token xID gave at their last login, and
-- only sealed: AES-256-GCM under a key derived from the cloud's keys folder (never in the database), bound to the
-- account and the provider as associated data, so a copied row opens for no other account. One row per account and
-- provider. due_at is when the renewal job next asks; a job instance claims a row by moving due_at forward (an
-- update that only one instance wins), so several cloud instances renew each resident once. failures counts
-- consecutive provider outages. Deleted when xID refuses the token, at unlink and at 退会. RenewalTokens owns it.
create table identity_renewal (
    account_id      uuid          not null references account (id),
    municipality_id bigint        not null references municipality (id),
    provider        varchar(20)   not null,
    sealed_token    varchar(4000) not null,
    due_at          timestamp with time zone not null,
    failures        integer       not null default 0 check (failures >= 0),
    stored_at       timestamp with time zone not null,
    renewed_at      timestamp with time zone,
    constraint identity_renewal_pk primary key (account_id, provider)
);
create index identity_renewal_due_ix on identity_renewal (due_at);
