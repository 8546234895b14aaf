-- Brokers in shards (issue 18, docs/deploy.md): each gateway is on one of the configured MQTT brokers, named here
-- and in its site profile. Gateways registered before shards are on the one broker there was, the shard 'default'.
-- JdbcGatewayRepository owns the column; the grant stream publisher reads it to stream each shard's gateways only.
alter table gateway add column broker_shard varchar(32) default 'default' not null;
create index gateway_broker_shard_ix on gateway (broker_shard);
