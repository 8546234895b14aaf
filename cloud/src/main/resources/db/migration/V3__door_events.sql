-- Door events from gateways, stored once per event id however often a gateway resends them.
create table door_event (
    id          uuid                     primary key,
    door_id     varchar(64)              not null references door (id),
    gateway_id  varchar(64)              not null references gateway (id),
    event_type  varchar(20)              not null,
    occurred_at timestamp with time zone not null,
    grant_id    uuid,
    reason      varchar(64),
    received_at timestamp with time zone not null
);
create index door_event_door_ix on door_event (door_id, occurred_at);
