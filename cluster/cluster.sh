#!/usr/bin/env bash
# Kominkan on several machines, run on one (docs/deploy.md): a three-node PostgreSQL cluster made highly available by
# Patroni (etcd as its store; synchronous_mode_strict, so a booking the API acknowledged is on two nodes), HAProxy
# sending database connections to the leader (Patroni's REST check), two cloud instances behind a second HAProxy
# front end, two Mosquitto brokers (mutual TLS), each the broker of one shard of gateways. Each process runs as its
# own user (etcd, postgres, haproxy, mosquitto, kominkan), is stopped by PID.
#
#   cluster/cluster.sh start  [--data DIR] [--base-port N] [--instances N] [--gateways]
#                                            start, wait until it serves, return; --gateways also enrolls and runs the
#                                            demo's two gateways, each on its shard's broker
#   cluster/cluster.sh stop   [--data DIR]                                   stop everything it started
#   cluster/cluster.sh status [--data DIR]                                   Patroni's view and the instances' health
#
# Ports from the base (default 7400): etcd +0/+1; postgres +11..+13; Patroni REST +21..+23; HAProxy to the leader
# +30; cloud instances +41..; HAProxy web front +50; HAProxy stats +59; MQTT brokers of shards a and b +61, +62;
# the gateways' site links (CoAP +71.., their own broker +81..).
# <data>/cluster.env lists them and the PIDs are in <data>/pids/. Needs root (to start each part as its user) and
# Debian's postgresql, patroni, etcd-server, haproxy, mosquitto (installed by ./kominkan cluster and ./kominkan test
# when missing).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
data=/var/tmp/kominkan-cluster
base=7400
instances=2
gateways=false
action="${1:-}"
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --base-port) base="$2"; shift 2 ;;
    --instances) instances="$2"; shift 2 ;;
    --gateways) gateways=true; shift ;;
    *) echo "cluster: unknown option $1" >&2; exit 2 ;;
  esac
done

die() { echo "cluster: $*" >&2; exit 1; }
pg_bin=/usr/lib/postgresql/15/bin
etcd_client=$((base)); etcd_peer=$((base + 1))
db_port=$((base + 30)); web_port=$((base + 50)); stats_port=$((base + 59))
pg_port() { echo $((base + 10 + $1)); }
rest_port() { echo $((base + 20 + $1)); }
cloud_port() { echo $((base + 40 + $1)); }
shards=(a b)
broker_port() { # broker_port SHARD
  case "$1" in a) echo $((base + 61)) ;; b) echo $((base + 62)) ;; esac
}

# "$(as USER) cmd &": runs cmd as USER in place (setpriv execs), so $! is the process itself, to stop by PID.
as() { echo "setpriv --reuid $1 --regid $1 --init-groups --reset-env --"; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND…: until the command succeeds
  local seconds="$1" what="$2"; shift 2
  local until=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $until ] || die "$what did not come up within ${seconds}s (logs: $data/log)"
    sleep 0.2
  done
}

java_home() {
  local j
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -n "$j" ] && [ -x "$j/bin/java" ] && { echo "$j"; return; }
  done
  die "no Java 21+ found (set JAVA_HOME)"
}

secret() { # a password made once, readable by root and the named group only
  local file="$data/secrets/$1"
  [ -s "$file" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$file")
  cat "$file"
}

write_patroni() { # write_patroni N
  local i="$1"
  cat > "$data/patroni/pg$i.yml" <<EOF
scope: kominkan
namespace: /kominkan/
name: pg$i
log:
  level: WARNING
  dir: $data/log/pg$i
restapi:
  listen: 127.0.0.1:$(rest_port "$i")
  connect_address: 127.0.0.1:$(rest_port "$i")
etcd3:
  hosts: 127.0.0.1:$etcd_client
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    # A crashed primary is not restarted in place: the synchronous standby takes over (issue 18's trial).
    primary_start_timeout: 0
    # Every COMMIT waits for one standby; with no standby, writes wait rather than go unreplicated.
    synchronous_mode: true
    synchronous_mode_strict: true
    synchronous_node_count: 1
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        max_connections: 200
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        synchronous_commit: "on"
        # A standby retries its WAL source quickly after a switch (5 s by default stalls the new timeline).
        wal_retrieve_retry_interval: 500ms
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
  pg_hba:
    - local all all peer
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:$(pg_port "$i")
  connect_address: 127.0.0.1:$(pg_port "$i")
  data_dir: $data/pg/pg$i
  bin_dir: $pg_bin
  pgpass: $data/pg/pgpass$i
  authentication:
    superuser:
      username: postgres
      password: $(secret postgres)
    replication:
      username: replicator
      password: $(secret replicator)
  parameters:
    unix_socket_directories: $data/pg/sock$i
EOF
  chown postgres:postgres "$data/patroni/pg$i.yml"
  chmod 600 "$data/patroni/pg$i.yml"
}

write_haproxy() {
  printf '%s\r\n' "HTTP/1.1 503 Service Unavailable" "Content-Type: application/problem+json; charset=utf-8" \
    "Retry-After: 2" "Cache-Control: no-store" "Connection: close" "" > "$data/haproxy-503.http"
  printf '%s' '{"type":"urn:kominkan:problem:unavailable","title":"Service Unavailable","status":503,"detail":"ただいまサービスを再開しています。少し時間をおいてもう一度お試しください。(The service is restarting. Please try again shortly.)"}' \
    >> "$data/haproxy-503.http"
  chmod 644 "$data/haproxy-503.http"
  {
    cat <<EOF
global
  maxconn 4000
  # Started as root to read its configuration; runs as haproxy.
  user haproxy
  group haproxy
defaults
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # Patroni answers its REST checks in milliseconds, but on a busy machine (a standby being cloned) not always.
  timeout check 2s
# Database connections go to the Patroni leader only (GET /primary answers 200 there); when it changes, the old
# leader's connections are cut so no client keeps writing to a demoted node.
listen postgres-leader
  mode tcp
  bind 127.0.0.1:$db_port
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 500ms fall 3 rise 2 on-marked-down shutdown-sessions
EOF
    for i in 1 2 3; do echo "  server pg$i 127.0.0.1:$(pg_port "$i") maxconn 150 check port $(rest_port "$i")"; done
    cat <<EOF
# The cloud instances, each while its readiness says it can serve. A request is retried on another instance only
# when it never reached one (conn-failure): a booking is never sent twice by the balancer.
frontend web
  mode http
  bind 127.0.0.1:$web_port
  default_backend cloud
  # No instance ready (all restarting): a problem document that says when to try again, as the cloud's own 503.
  errorfile 503 $data/haproxy-503.http
backend cloud
  mode http
  balance roundrobin
  option httpchk
  # HTTP/1.1 with a Host header: Helidon answers a bare HTTP/1.0 check with 400.
  http-check send meth GET uri /observe/health ver HTTP/1.1 hdr Host localhost
  http-check expect status 200
  retry-on conn-failure
  retries 2
  option redispatch
  default-server inter 1s fall 2 rise 2
EOF
    for j in $(seq 1 "$instances"); do echo "  server cloud$j 127.0.0.1:$(cloud_port "$j") check"; done
    cat <<EOF
listen stats
  mode http
  bind 127.0.0.1:$stats_port
  stats enable
  stats uri /
EOF
  } > "$data/haproxy.cfg"
  chmod 644 "$data/haproxy.cfg"
}

write_cloud() { # the instances' shared configuration (each gets its port from SERVER_PORT)
  cat > "$data/cloud/cloud.yaml" <<EOF
db:
  connection:
    url: "jdbc:postgresql://127.0.0.1:$db_port/kominkan?stringtype=unspecified&tcpKeepAlive=true&connectTimeout=3"
    username: "kominkan"
    password: "$(secret kominkan)"
    maximumPoolSize: 24
    minimumIdle: 4
    connectionTimeout: 3000
    # A connection to a node that is no longer the leader is dropped by HAProxy; the pool tests before lending.
    keepaliveTime: 30000
server:
  host: 127.0.0.1
kominkan:
  default-municipality: "999991"
  keys-dir: "$data/cloud/keys"
  secure-cookie: false
  trusted-proxies: ["127.0.0.1"]
  mqtt:
    # Brokers in shards (docs/deploy.md): each demo gateway is on one; every instance connects to both. Shard a's
    # broker is beside the instances: they write its CRL and ACL into its folder, and the cluster's reloader has it read
    # them. Shard b's stands for a broker on another machine: cluster/broker-sync.sh fetches its CRL from the web front.
    shards:
      - id: a
        broker: "ssl://127.0.0.1:$(broker_port a)"
        broker-files: "$data/broker-a"
      - id: b
        broker: "ssl://127.0.0.1:$(broker_port b)"
EOF
  chown kominkan:kominkan "$data/cloud/cloud.yaml"
  chmod 600 "$data/cloud/cloud.yaml"
}

start_cloud() { # start_cloud N [SEED]: SEED=true seeds the demo municipality (the first instance only)
  local j="$1" seed="${2:-false}"
  local java; java="$(java_home)"
  setpriv --reuid kominkan --regid kominkan --init-groups --reset-env -- \
    env HOME="$data/cloud" SERVER_PORT="$(cloud_port "$j")" KOMINKAN_SEED_DEMO="$seed" "$java/bin/java" -Xmx512m \
    -jar "$repo/cloud/target/kominkan-cloud.jar" serve --config "$data/cloud/cloud.yaml" \
    > "$data/log/cloud$j.log" 2>&1 &
  echo $! > "$data/pids/cloud$j.pid"
}

write_brokers() { # each shard's broker folder (kominkan writes, mosquitto reads) and Mosquitto's configuration
  local shard dir java; java="$(java_home)"
  for shard in "${shards[@]}"; do
    dir="$data/broker-$shard"
    mkdir -p "$dir"
    chown kominkan:mosquitto "$dir"
    chmod 2750 "$dir"   # setgid: the files the cloud writes are the mosquitto group's, read-only to it
  done
  # The cloud's CA certifies the broker (for 127.0.0.1, where both brokers listen here; on real servers each broker
  # host runs pki broker with its own --host) and writes the CRL and ACL. The first broker's files serve both.
  $(as kominkan) env HOME="$data/cloud" "$java/bin/java" -jar "$repo/cloud/target/kominkan-cloud.jar" pki broker \
    --out "$data/broker-a" --host 127.0.0.1 --host localhost --config "$data/cloud/cloud.yaml" \
    > "$data/log/pki.log" 2>&1 || { tail -3 "$data/log/pki.log" >&2; die "pki broker failed"; }
  for shard in "${shards[@]}"; do
    dir="$data/broker-$shard"
    [ "$shard" = a ] || $(as kominkan) install -m 640 "$data"/broker-a/{ca.pem,broker.pem,broker.key,crl.pem,acl} "$dir/"
    cat > "$data/mosquitto-$shard.conf" <<CONF
# The broker of shard $shard, as production runs it (docs/broker.md): TLS only, a client certificate required, its
# CN the user name, no anonymous clients, the cloud's CRL and ACL (read again on SIGHUP).
per_listener_settings false
persistence false
max_queued_messages 0
max_inflight_messages 0
allow_anonymous false
log_dest stderr
log_type error
log_type warning
acl_file $dir/acl
listener $(broker_port "$shard") 127.0.0.1
cafile $dir/ca.pem
certfile $dir/broker.pem
keyfile $dir/broker.key
crlfile $dir/crl.pem
require_certificate true
use_identity_as_username true
CONF
    chmod 644 "$data/mosquitto-$shard.conf"
  done
  # The cloud (user kominkan) may not signal shard a's broker (user mosquitto): this loop, as root, has it read its
  # files again when they change, as a systemd path unit does on real servers (docs/broker.md).
  cat > "$data/broker-reload.sh" <<RELOAD
#!/usr/bin/env bash
while sleep 1; do
  for shard in a; do
    dir="$data/broker-\$shard"; stamp="$data/pids/.reloaded-\$shard"
    touch "\$stamp.next"   # first: a file written while this looks is newer than the next stamp
    if [ -n "\$(find "\$dir" -maxdepth 1 \( -name crl.pem -o -name acl \) -newer "\$stamp" 2>/dev/null)" ]; then
      kill -HUP "\$(cat "$data/pids/broker-\$shard.pid")" 2>/dev/null || true
    fi
    mv "\$stamp.next" "\$stamp"
  done
done
RELOAD
}

start_brokers() {
  local shard
  for shard in "${shards[@]}"; do
    touch "$data/pids/.reloaded-$shard"
    $(as mosquitto) /usr/sbin/mosquitto -c "$data/mosquitto-$shard.conf" > "$data/log/mosquitto-$shard.log" 2>&1 &
    echo $! > "$data/pids/broker-$shard.pid"
  done
  for shard in "${shards[@]}"; do
    wait_for 20 "the broker of shard $shard" bash -c "kill -0 \$(cat '$data/pids/broker-$shard.pid') && exec 3<>/dev/tcp/127.0.0.1/$(broker_port "$shard")"
  done
  bash "$data/broker-reload.sh" > "$data/log/broker-reload.log" 2>&1 &
  echo $! > "$data/pids/broker-reload.pid"
}

start_gateways() { # the demo's gateways, enrolled as an installer does through the web front, each run as kominkan-gw
  local java token id n=0 dir
  java="$(java_home)"
  id kominkan-gw >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin kominkan-gw
  mkdir -p "$data/gateways"; chown kominkan-gw:kominkan-gw "$data/gateways"; chmod 700 "$data/gateways"
  # Staff sign in and make each gateway a one-time token (shown once; the installer's copy is a file only it reads).
  token="$(curl -fsS -m 10 -H 'Content-Type: application/json' \
    -d '{"email":"admin@kominkan.example","password":"kominkan-admin"}' "http://127.0.0.1:$web_port/api/v1/staff/session" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')" || die "staff sign-in failed"
  for id in $(superuser_sql -d kominkan -Atc "select id from gateway where decommissioned_at is null order by id"); do
    dir="$data/gateways/$id"
    if [ ! -e "$dir/site.yaml" ]; then
      curl -fsS -m 10 -X POST -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$web_port/api/v1/staff/gateways/$id/enrollment" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])' > "$data/gateways/$id.token" \
        || die "no enrollment token for $id"
      chown kominkan-gw "$data/gateways/$id.token"; chmod 600 "$data/gateways/$id.token"
      $(as kominkan-gw) env HOME="$data/gateways" "$java/bin/java" -jar "$repo/gateway/target/kominkan-gateway.jar" enroll \
        --cloud "http://127.0.0.1:$web_port" --token-file "$data/gateways/$id.token" --dir "$dir" \
        > "$data/log/enroll-$id.log" 2>&1 || { tail -3 "$data/log/enroll-$id.log" >&2; die "enrolling $id failed"; }
      rm -f "$data/gateways/$id.token"
    fi
    sed -i '/^# The cluster.s site link/,$d' "$dir/site.yaml"
    cat >> "$dir/site.yaml" <<YAML
# The cluster's site link (written by cluster/cluster.sh on each start; on a Pi: the building network's address).
site-link:
  coap:
    bind: 127.0.0.1
    port: $((base + 71 + n))
  mqtt-local:
    bind: 127.0.0.1
    port: $((base + 81 + n))
YAML
    : > "$data/log/gateway-$id.log"; chown kominkan-gw "$data/log/gateway-$id.log"
    $(as kominkan-gw) env HOME="$data/gateways" "$java/bin/java" -Xmx128m -jar "$repo/gateway/target/kominkan-gateway.jar" \
      --config "$dir/site.yaml" --mock-gpio > "$data/log/gateway-$id.log" 2>&1 &
    echo $! > "$data/pids/gateway-$id.pid"
    n=$((n + 1))
  done
  for id in $(superuser_sql -d kominkan -Atc "select id from gateway where decommissioned_at is null order by id"); do
    wait_for 60 "gateway $id on its broker" sh -c "kill -0 \$(cat '$data/pids/gateway-$id.pid') && grep -q 'Connected to ssl://' '$data/log/gateway-$id.log'"
  done
}

db_front_settled() { # HAProxy's database front end sends to one node only: the leader
  local up
  up="$(curl -fsS -m 3 "http://127.0.0.1:$stats_port/;csv" | grep -c '^postgres-leader,pg[0-9],.*,UP,')" || return 1
  [ "$up" = 1 ] && curl -fsS -m 3 "http://127.0.0.1:$stats_port/;csv" | grep -q "^postgres-leader,pg$(leader),.*,UP,"
}

superuser_sql() { # psql as the superuser through HAProxy; passwords by environment, never on a command line
  PGPASSWORD="$(secret postgres)" KOMINKAN_PW="$(secret kominkan)" \
    "$pg_bin/psql" -q -h 127.0.0.1 -p "$db_port" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
}

create_database() { # the cloud's role and database, once
  superuser_sql <<'SQL'
\getenv pw KOMINKAN_PW
select format('create role kominkan login password %L', :'pw') where not exists (select from pg_roles where rolname = 'kominkan')
\gexec
select 'create database kominkan owner kominkan' where not exists (select from pg_database where datname = 'kominkan')
\gexec
SQL
}

cloud_ready() { # cloud_ready N: instance N answers its health check; a dead one stops the wait at once
  kill -0 "$(cat "$data/pids/cloud$1.pid")" 2>/dev/null || { tail -5 "$data/log/cloud$1.log" >&2; die "cloud instance $1 exited"; }
  curl -fsS -m 3 -o /dev/null "http://127.0.0.1:$(cloud_port "$1")/observe/health"
}

leader() { # the Patroni leader's node number, if any
  local i
  for i in 1 2 3; do
    if curl -fsS -m 3 -o /dev/null "http://127.0.0.1:$(rest_port "$i")/primary" 2>/dev/null; then echo "$i"; return 0; fi
  done
  return 1
}

start() {
  [ "$(id -u)" = 0 ] || die "start needs root: each part runs as its own user"
  [ -x "$pg_bin/postgres" ] && command -v patroni >/dev/null && command -v etcd >/dev/null && command -v haproxy >/dev/null \
    && [ -x /usr/sbin/mosquitto ] && id mosquitto >/dev/null 2>&1 \
    || die "needs Debian's postgresql, patroni, etcd-server, haproxy and mosquitto"
  [ -f "$repo/cloud/target/kominkan-cloud.jar" ] || die "build the cloud first (./kominkan cluster does)"
  id kominkan >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin kominkan
  [ -e "$data/pids/etcd.pid" ] && die "a cluster seems to run from $data already (cluster/cluster.sh stop --data $data)"
  mkdir -p "$data"/{pids,secrets,patroni,pg,etcd,cloud/keys,log}
  chmod 755 "$data" "$data/log"
  chmod 700 "$data/secrets"
  chown etcd:etcd "$data/etcd"; chmod 700 "$data/etcd"
  chown postgres:postgres "$data/pg" "$data/patroni"; chmod 700 "$data/pg" "$data/patroni"
  chown -R kominkan:kominkan "$data/cloud"; chmod 700 "$data/cloud"
  for i in 1 2 3; do mkdir -p "$data/log/pg$i"; chown postgres:postgres "$data/log/pg$i"; done
  for f in etcd cloud1 cloud2 cloud3 cloud4 haproxy pki mosquitto-a mosquitto-b; do : > "$data/log/$f.log"; done
  chown etcd:etcd "$data/log/etcd.log"; chown kominkan:kominkan "$data"/log/cloud*.log "$data/log/pki.log"
  chown mosquitto "$data"/log/mosquitto-*.log

  $(as etcd) etcd --name e1 --data-dir "$data/etcd/e1" \
    --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "e1=http://127.0.0.1:$etcd_peer" --log-level warn > "$data/log/etcd.log" 2>&1 &
  echo $! > "$data/pids/etcd.pid"
  wait_for 20 etcd curl -fsS -m 3 "http://127.0.0.1:$etcd_client/health"

  # All three at once: one wins etcd's initialize key and bootstraps (or, on a restart, the node Patroni finds
  # fit leads); the others clone it or follow.
  for i in 1 2 3; do
    write_patroni "$i"
    $(as postgres) patroni "$data/patroni/pg$i.yml" > "$data/log/patroni$i.log" 2>&1 &
    echo $! > "$data/pids/patroni$i.pid"
  done
  wait_for 90 "a PostgreSQL leader" leader
  write_haproxy
  haproxy -f "$data/haproxy.cfg" -D -p "$data/pids/haproxy.pid" >> "$data/log/haproxy.log" 2>&1 \
    || die "haproxy did not start (see $data/log/haproxy.log)"
  wait_for 30 "HAProxy's checks of the nodes" db_front_settled
  wait_for 30 "the database through HAProxy" superuser_sql -Atc "select 1"
  wait_for 30 "the cloud's database role" create_database
  # Both standbys streaming, one of them synchronous, before the cloud writes anything.
  wait_for 90 "the synchronous standby" sh -c "curl -fsS -m 3 http://127.0.0.1:$(rest_port 1)/cluster | grep -q sync_standby"

  write_cloud
  write_brokers
  start_brokers
  # The first instance migrates the schema (Flyway) and seeds the demo municipality; the others start after it.
  start_cloud 1 true
  wait_for 120 "cloud instance 1" cloud_ready 1
  for j in $(seq 2 "$instances"); do start_cloud "$j"; done
  for j in $(seq 2 "$instances"); do
    wait_for 120 "cloud instance $j" cloud_ready "$j"
  done
  wait_for 30 "the web front" curl -fsS -m 3 "http://127.0.0.1:$web_port/observe/health"
  # Shard b's broker host keeps its CRL from the cloud, checked against its CA, as on another machine.
  bash "$repo/cluster/broker-sync.sh" --cloud "http://127.0.0.1:$web_port" --dir "$data/broker-b" \
    --pid-file "$data/pids/broker-b.pid" --every 5 > "$data/log/broker-sync-b.log" 2>&1 &
  echo $! > "$data/pids/broker-sync-b.pid"
  [ "$gateways" = true ] && start_gateways
  {
    echo "KOMINKAN_CLUSTER_DATA=$data"
    echo "KOMINKAN_WEB=http://127.0.0.1:$web_port"
    echo "KOMINKAN_DB_PORT=$db_port"
    echo "KOMINKAN_ETCD=http://127.0.0.1:$etcd_client"
    echo "KOMINKAN_PATRONI_REST=$(rest_port 1),$(rest_port 2),$(rest_port 3)"
    echo "KOMINKAN_PG_PORTS=$(pg_port 1),$(pg_port 2),$(pg_port 3)"
    echo "KOMINKAN_CLOUD_PORTS=$(for j in $(seq 1 "$instances"); do printf '%s,' "$(cloud_port "$j")"; done | sed 's/,$//')"
    echo "KOMINKAN_STATS=http://127.0.0.1:$stats_port/"
    echo "KOMINKAN_BROKERS=$(for shard in "${shards[@]}"; do printf '%s=ssl://127.0.0.1:%s,' "$shard" "$(broker_port "$shard")"; done | sed 's/,$//')"
    echo "KOMINKAN_GATEWAY_SHARDS=$(superuser_sql -d kominkan -Atc "select id || '=' || broker_shard from gateway order by id" | paste -sd, -)"
  } > "$data/cluster.env"
}

ours() { # ours PID: a process this cluster started (its command line names the data folder), not a reused PID
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF -- "$data/"
}

stop_pid() { # stop_pid FILE [SIGNAL]: TERM (or SIGNAL), up to 20 s, then KILL; only if the PID is still ours
  local file="$1" signal="${2:-TERM}" pid
  [ -f "$file" ] || return 0
  pid="$(head -1 "$file")"
  if [ -n "$pid" ] && ours "$pid"; then
    kill -s "$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    ours "$pid" && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop() {
  local first i f
  # The front first, then the instances, then the standbys, the leader last (so stopping is no failover),
  # then etcd.
  for f in "$data"/pids/gateway-*.pid; do stop_pid "$f"; done
  stop_pid "$data/pids/haproxy.pid"
  for f in "$data"/pids/cloud*.pid; do stop_pid "$f"; done
  stop_pid "$data/pids/broker-reload.pid"
  stop_pid "$data/pids/broker-sync-b.pid"
  for f in "$data"/pids/broker-*.pid; do stop_pid "$f"; done
  first="$(leader 2>/dev/null || true)"
  for i in 1 2 3; do [ "$i" = "$first" ] || stop_pid "$data/pids/patroni$i.pid"; done
  [ -n "$first" ] && stop_pid "$data/pids/patroni$first.pid"
  # A postgres whose Patroni was killed (as the drill does) is stopped from its own PID file.
  for i in 1 2 3; do
    [ -f "$data/pg/pg$i/postmaster.pid" ] || continue
    cp "$data/pg/pg$i/postmaster.pid" "$data/pids/postmaster$i.pid" 2>/dev/null || continue
    stop_pid "$data/pids/postmaster$i.pid" INT
  done
  stop_pid "$data/pids/etcd.pid"
}

status() {
  [ -f "$data/cluster.env" ] || die "no cluster in $data"
  # shellcheck disable=SC1091
  . "$data/cluster.env"
  curl -fsS -m 3 "http://127.0.0.1:${KOMINKAN_PATRONI_REST%%,*}/cluster" | python3 -m json.tool 2>/dev/null || true
  for p in ${KOMINKAN_CLOUD_PORTS//,/ }; do
    printf 'cloud :%s  ' "$p"; curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$p/observe/health" || echo down
  done
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: cluster/cluster.sh start|stop|status [--data DIR] [--base-port N] [--instances N]" >&2; exit 2 ;;
esac
