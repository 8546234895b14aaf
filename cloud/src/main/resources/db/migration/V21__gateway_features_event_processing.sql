-- What a gateway says it understands (StreamMessage.Ack features, bit 1: remote unlock entries), from its
-- hellos and heartbeats: the cloud never sends an entry a gateway cannot read, since an unknown entry stops
-- its whole grant stream. 0 until the gateway first says (an older gateway never does).
alter table gateway add column features bigint default 0 not null;

-- When the caretakers' desk took a stored door event (its state, its alarms, the board). An event whose
-- handling failed (the database gone for a moment) stays null and is taken again by the sweep, so no
-- alarm is lost because the gateway has its receipt already. Events stored before this column: taken.
alter table door_event add column processed_at timestamp with time zone;
update door_event set processed_at = received_at;
create index door_event_unprocessed_ix on door_event (processed_at, received_at);
