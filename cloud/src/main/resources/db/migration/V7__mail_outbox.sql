-- The mail outbox (docs/mail.md). Runs unchanged on H2 2.x and PostgreSQL 15+.
-- A message is written in the transaction of the change it reports, so that the two commit or roll
-- back together; MailWorker sends it later and retries with back-off while the mail server is away.
create table mail_outbox (
    id              uuid          primary key,
    municipality_id bigint        not null references municipality (id),
    kind            varchar(40)   not null,     -- what the message is about, e.g. 'staff-invitation'
    recipient       varchar(254)  not null,     -- RFC 5321 limits a forward path to 256 octets with its brackets
    subject         varchar(400)  not null,
    -- varchar, not text/clob: both databases take 20000 characters, and H2's clob would come back as a
    -- Clob object instead of a String. Emptied once the message is sent or given up: an invitation carries
    -- a one-time link whose token the database otherwise keeps only as a hash.
    body            varchar(20000),
    created_at      timestamp with time zone not null,
    -- When the next attempt is due, or how long a worker's claim lasts while it sends; null once nothing
    -- more will be tried, so that the worker's range scan below never passes sent or failed rows.
    next_attempt_at timestamp with time zone,
    attempts        int           not null default 0 check (attempts >= 0),
    -- Why the last attempt failed, without addresses or content (MailWorker removes them).
    last_error      varchar(400),
    sent_at         timestamp with time zone,
    failed_at       timestamp with time zone,   -- gave up after the maximum number of attempts
    constraint mail_outbox_outcome check (sent_at is null or failed_at is null),
    constraint mail_outbox_open check (next_attempt_at is not null or sent_at is not null or failed_at is not null)
);

-- The worker's query: due rows in the order they fell due. H2 has no partial indexes, so next_attempt_at
-- is cleared instead when a row is finished.
create index mail_outbox_due_ix on mail_outbox (next_attempt_at);
-- The staff page: a municipality's latest messages and how many are still waiting.
create index mail_outbox_municipality_ix on mail_outbox (municipality_id, created_at);
