-- Doors, gateways, access grants and the per-gateway grant stream (an outbox).
-- Runs unchanged on H2 2.x and PostgreSQL 15+.

-- One gateway per building. stream_head is the number of the last entry appended to its grant
-- stream; incrementing it row-locks the gateway, so numbers are gap-free and never reused.
create table gateway (
    id              varchar(64)  primary key,   -- topic-safe: A-Z a-z 0-9 . _ -
    municipality_id bigint       not null,
    facility_id     bigint       not null,
    name            varchar(200) not null,
    stream_head     bigint       not null,
    last_ack        bigint       not null,
    last_seen_at    timestamp with time zone,
    constraint gateway_facility_fk foreign key (municipality_id, facility_id) references facility (municipality_id, id)
);

-- A door opens into a room and is driven by one gateway. Its code-verifier key is not stored here:
-- it is derived from a secret in the keys folder (GrantKeyStore.doorKey), so that a copy of the
-- database together with access_grant.code_verifier cannot be used to recover booking codes.
create table door (
    id         varchar(64)  primary key,        -- topic-safe
    room_id    bigint       not null references room (id),
    gateway_id varchar(64)  not null references gateway (id),
    name       varchar(200) not null
);
create index door_room_ix on door (room_id);

alter table room add column grant_margin_minutes int default 10 not null;

-- The booking code, sealed with AES-GCM under the cloud's sealing key: shown to its resident
-- while the booking is confirmed and not over, never stored in clear.
alter table reservation add column access_code_sealed varchar(200);

create table access_grant (
    id             uuid                     primary key,
    reservation_id uuid                     not null references reservation (id),
    door_id        varchar(64)              not null references door (id),
    valid_from     timestamp with time zone not null,
    valid_until    timestamp with time zone not null,
    code_verifier  char(32)                 not null,   -- hex, as signed in the grant
    key_id         varchar(64)              not null,
    revoked_at     timestamp with time zone
);
create index access_grant_reservation_ix on access_grant (reservation_id);
create index access_grant_door_ix on access_grant (door_id, code_verifier);

-- The outbox: every issue and revoke, numbered per gateway, written in the transaction that
-- changes the booking. The MQTT publisher reads from here; the gateway acknowledges numbers.
create table grant_stream (
    gateway_id varchar(64)              not null references gateway (id),
    seq        bigint                   not null,
    kind       varchar(10)              not null check (kind in ('issue', 'revoke')),
    grant_id   uuid                     not null references access_grant (id),
    message    varchar(2048)            not null,  -- issue: the signed grant, hex; revoke: the grant id
    created_at timestamp with time zone not null,
    primary key (gateway_id, seq)
);
