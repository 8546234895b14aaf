#!/usr/bin/env bash
# Keeps the CRL of a Mosquitto broker that runs on another machine than the cloud current (docs/deploy.md,
# "Brokers in shards"): the broker host fetches the door network CA's CRL from the cloud, checks it, and has the
# broker reload it. (A broker beside a cloud instance gets its files written by the cloud: kominkan.mqtt.shards[].
# broker-files.)
#
#   cluster/broker-sync.sh --cloud https://yoyaku.city.example.lg.jp --dir /etc/mosquitto/kominkan
#                          [--pid-file /run/mosquitto/mosquitto.pid] [--every 60] [--once]
#
# Each round: GET <cloud>/api/v1/pki/crl (at most 1 MiB, 10 s). The file in DIR/crl.pem is replaced (atomically,
# mode 640, the folder's group) only by a CRL that is signed by the CA in DIR/ca.pem, is due again in the future and
# is no older than the one there (a replayed old CRL would un-revoke a certificate), and only when it revokes
# something new or the one there is due within a week; then the broker gets SIGHUP.
# Anything else leaves the file as it is, says why on stderr and, with --once, exits 1. Run it as a user that may
# write DIR and signal the broker (root, or the broker's own user), e.g. from a systemd service.
set -uo pipefail

cloud="" dir="" pid_file="" every=60 once=false
while [ $# -gt 0 ]; do
  case "$1" in
    --cloud) cloud="${2%/}"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --pid-file) pid_file="$2"; shift 2 ;;
    --every) every="$2"; shift 2 ;;
    --once) once=true; shift ;;
    *) echo "broker-sync: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$cloud" ] && [ -n "$dir" ] || { echo "usage: broker-sync.sh --cloud URL --dir DIR [--pid-file F] [--every S] [--once]" >&2; exit 2; }
[ -r "$dir/ca.pem" ] || { echo "broker-sync: no CA in $dir/ca.pem (write the broker's files with pki broker first)" >&2; exit 2; }
case "$every" in ''|*[!0-9]*) echo "broker-sync: --every takes whole seconds" >&2; exit 2 ;; esac

say() { echo "broker-sync: $(date -u +%FT%TZ) $*" >&2; }

epoch() { # epoch FIELD FILE: the CRL's lastUpdate or nextUpdate, in seconds
  local line
  line="$(openssl crl -in "$2" -noout "-${1,,}" 2>/dev/null)" || return 1
  date -u -d "${line#*=}" +%s 2>/dev/null
}

serials() { # the serial numbers a CRL revokes, sorted
  openssl crl -in "$1" -noout -text 2>/dev/null | sed -n 's/^ *Serial Number: *//p' | sort
}

sync_once() {
  local tmp verdict next last current
  tmp="$(mktemp "$dir/.crl.XXXXXX")" || { say "cannot write in $dir"; return 1; }
  if ! curl -fsS --proto '=https,http' --max-time 10 --max-filesize 1048576 -o "$tmp" "$cloud/api/v1/pki/crl" 2>"$tmp.err"; then
    say "could not fetch the CRL from $cloud: $(head -c 200 "$tmp.err" | tr -cd '[:print:]')"
    rm -f "$tmp" "$tmp.err"; return 1
  fi
  rm -f "$tmp.err"
  verdict="$(openssl crl -in "$tmp" -inform PEM -CAfile "$dir/ca.pem" -noout 2>&1)"
  if [ "$(printf '%s' "$verdict" | tail -1)" != "verify OK" ]; then
    say "refused: not a CRL signed by the CA in $dir/ca.pem"
    rm -f "$tmp"; return 1
  fi
  next="$(epoch nextUpdate "$tmp")" && last="$(epoch lastUpdate "$tmp")" || { say "refused: no update dates"; rm -f "$tmp"; return 1; }
  if [ "$next" -le "$(date -u +%s)" ]; then
    say "refused: the CRL was due again at $(date -u -d "@$next" +%FT%TZ)"
    rm -f "$tmp"; return 1
  fi
  if [ -r "$dir/crl.pem" ] && current="$(epoch lastUpdate "$dir/crl.pem")" && [ "$last" -lt "$current" ]; then
    say "refused: older than the CRL in place (a replay would un-revoke certificates)"
    rm -f "$tmp"; return 1
  fi
  # The cloud signs a fresh CRL on each request: replace the file only when what it revokes changed, or when the
  # one in place is due within a week (the cloud's are valid 30 days), so the broker is not reloaded every round.
  if [ -r "$dir/crl.pem" ] && [ "$(serials "$tmp")" = "$(serials "$dir/crl.pem")" ] \
      && [ "$(epoch nextUpdate "$dir/crl.pem" || echo 0)" -gt "$(( $(date -u +%s) + 7 * 86400 ))" ]; then
    rm -f "$tmp"; return 0
  fi
  chmod 640 "$tmp"
  mv -f "$tmp" "$dir/crl.pem"
  if [ -n "$pid_file" ] && [ -r "$pid_file" ]; then
    kill -HUP "$(head -1 "$pid_file")" 2>/dev/null || say "could not signal the broker (pid file $pid_file)"
  fi
  say "CRL updated (issued $(date -u -d "@$last" +%FT%TZ))"
  return 0
}

if [ "$once" = true ]; then sync_once; exit $?; fi
while true; do
  sync_once || true
  sleep "$every"
done
