#!/usr/bin/env bash
# A local scale-out deployment on loopback ports (issue 22): a three-node NATS JetStream cluster, a throwaway PostgreSQL,
# one API process and three worker processes of the same Release build of Bulwark.Server, the work stream kept in 3 replicas.
#   scripts/cluster.sh start    builds, starts everything, prints the API URL and an API key
#   scripts/cluster.sh status   what is running (processes, /health/ready of each Bulwark process)
#   scripts/cluster.sh stop     stops everything and removes the state folder
# State (configs, stores, logs, pids) lives in $BULWARK_CLUSTER_DIR (default /tmp/bulwark-cluster). Needs the .NET SDK;
# installs Debian's postgresql and nats-server when missing. Nothing listens beyond 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=${BULWARK_CLUSTER_DIR:-/tmp/bulwark-cluster}
WORKERS=${BULWARK_CLUSTER_WORKERS:-3}
source scripts/postgres.sh

free_port() { # a port nobody listens on (checked; the range is random to keep parallel runs apart)
  local p
  while :; do
    p=$(( 20000 + RANDOM % 20000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

wait_tcp() { # port, what, pid
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "$2 exited; see $DIR/logs"; return 1; }
    sleep 0.2
  done
  echo "$2 did not open port $1"; return 1
}

wait_http() { # url, what, pid
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "$2 exited; see $DIR/logs"; return 1; }
    sleep 0.5
  done
  echo "$2 did not answer $1"; return 1
}

start_nats_cluster() {
  command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || ensure_packages nats-server
  local bin; bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  local i routes="" urls=""
  for i in 1 2 3; do
    eval "NATS_PORT_$i=$(free_port)"; eval "NATS_CLUSTER_PORT_$i=$(free_port)"
    routes+="nats-route://127.0.0.1:$(eval echo "\$NATS_CLUSTER_PORT_$i"),"
    urls+="nats://127.0.0.1:$(eval echo "\$NATS_PORT_$i"),"
  done
  routes=${routes%,}; NATS_URLS=${urls%,}
  for i in 1 2 3; do
    mkdir -p "$DIR/nats-$i"
    cat > "$DIR/nats-$i/nats.conf" <<CONF
server_name: bulwark-n$i
listen: 127.0.0.1:$(eval echo "\$NATS_PORT_$i")
jetstream { store_dir: "$DIR/nats-$i/store" }
cluster {
  name: bulwark-local
  listen: 127.0.0.1:$(eval echo "\$NATS_CLUSTER_PORT_$i")
  routes: [ ${routes//,/, } ]
}
CONF
    # Its standard streams go to a file too: a background process holding the caller's stdout would keep a pipe such as
    # `scripts/cluster.sh start | tee start.log` open, and the command would never return.
    "$bin" -c "$DIR/nats-$i/nats.conf" -l "$DIR/logs/nats-$i.log" </dev/null >>"$DIR/logs/nats-$i.out" 2>&1 &
    echo $! > "$DIR/pids/nats-$i"
  done
  for i in 1 2 3; do wait_tcp "$(eval echo "\$NATS_PORT_$i")" "nats-server $i" "$(cat "$DIR/pids/nats-$i")"; done
}

start_bulwark() { # name, roles, port
  local url="http://127.0.0.1:$3"
  (
    export Bulwark__Roles="$2" Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="$BULWARK_PG" \
           Bulwark__Queue__Provider=JetStream Bulwark__Queue__JetStream__Url="$NATS_URLS" Bulwark__Queue__JetStream__Replicas=3 \
           Bulwark__Ingest__MediaPath="$DIR/media" Bulwark__Webhooks__KeysPath="$DIR/keys" Bulwark__Preservation__Path="$DIR/preservation" \
           Logging__LogLevel__Default=Warning
    exec dotnet "$ROOT/src/Bulwark.Server/bin/Release/net10.0/Bulwark.Server.dll" --urls "$url"
  ) > "$DIR/logs/$1.log" 2>&1 &
  echo $! > "$DIR/pids/$1"
  echo "$url" > "$DIR/urls/$1"
}

cmd_start() {
  if [ -d "$DIR/pids" ]; then echo "a cluster is already set up in $DIR (scripts/cluster.sh stop first)"; exit 1; fi
  mkdir -p "$DIR/logs" "$DIR/pids" "$DIR/urls"
  echo "building Bulwark (Release)…"
  dotnet build src/Bulwark.Server -c Release -v q -nologo >"$DIR/logs/build.log" 2>&1 || { tail -20 "$DIR/logs/build.log"; exit 1; }
  dotnet build src/Bulwark.Cli -c Release -v q -nologo >>"$DIR/logs/build.log" 2>&1 || { tail -20 "$DIR/logs/build.log"; exit 1; }

  echo "starting PostgreSQL…"
  start_throwaway_postgres
  BULWARK_PG="${PG_URL/Database=postgres/Database=bulwark}"
  $PG_AS "$PG_BIN/createdb" -h 127.0.0.1 -p "$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$PG_URL")" -U bulwark bulwark
  cat > "$DIR/postgres.env" <<ENV
PG_WORK='$PG_WORK'
PG_BIN='$PG_BIN'
PG_AS='$PG_AS'
PG_URL='$PG_URL'
BULWARK_PG='$BULWARK_PG'
ENV

  echo "starting a three-node NATS JetStream cluster…"
  start_nats_cluster
  echo "NATS_URLS='$NATS_URLS'" >> "$DIR/postgres.env"

  # The API first (it migrates the database); the workers migrate too, but find nothing left to do.
  echo "starting the API and $WORKERS workers…"
  start_bulwark api "api,scheduler,webhooks" "$(free_port)"
  wait_http "$(cat "$DIR/urls/api")/health/live" api "$(cat "$DIR/pids/api")"
  for i in $(seq 1 "$WORKERS"); do start_bulwark "worker-$i" worker "$(free_port)"; done
  for i in $(seq 1 "$WORKERS"); do wait_http "$(cat "$DIR/urls/worker-$i")/health/live" "worker-$i" "$(cat "$DIR/pids/worker-$i")"; done

  local key
  key=$(Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="$BULWARK_PG" \
    dotnet "$ROOT/src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll" apikey create --name cluster --scopes ingest,read,admin 2>/dev/null)
  echo "$key" > "$DIR/api-key"
  local api; api=$(cat "$DIR/urls/api")
  cat <<MSG

Bulwark cluster is running (state in $DIR; logs in $DIR/logs).
  API        : $api   (reference: $api/docs)
  API key    : $key
  NATS       : $NATS_URLS   (stream replicas: 3)
  PostgreSQL : $BULWARK_PG
  Workers    : $(for i in $(seq 1 "$WORKERS"); do printf '%s ' "$(cat "$DIR/urls/worker-$i")"; done)(health and metrics only)
  Try: curl -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \\
         -d '{"id":"hello-1","kind":"text","text":"hello cluster"}' $api/api/v1/content
  Stop: scripts/cluster.sh stop
MSG
}


cmd_status() {
  [ -d "$DIR/pids" ] || { echo "no cluster in $DIR"; exit 1; }
  local f name pid state
  for f in "$DIR"/pids/*; do
    name=$(basename "$f"); pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then state=running; else state=stopped; fi
    if [ -f "$DIR/urls/$name" ] && [ "$state" = running ]; then
      state+=" $(cat "$DIR/urls/$name") ready: $(curl -s "$(cat "$DIR/urls/$name")/health/ready" | head -c 300)"
    fi
    printf '%-10s pid %-8s %s\n' "$name" "$pid" "$state"
  done
  [ -f "$DIR/postgres.env" ] && { source "$DIR/postgres.env"; echo "postgres   $BULWARK_PG"; }
}

cmd_stop() {
  [ -d "$DIR" ] || { echo "no cluster in $DIR"; return 0; }
  local f
  # Bulwark first (so it does not log the broker and database going away), then NATS, then PostgreSQL.
  for f in "$DIR"/pids/api "$DIR"/pids/worker-* "$DIR"/pids/nats-*; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  for f in "$DIR"/pids/*; do
    for _ in $(seq 1 50); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$(cat "$f")" 2>/dev/null || true
  done
  if [ -f "$DIR/postgres.env" ]; then source "$DIR/postgres.env"; stop_throwaway_postgres; fi
  rm -rf "$DIR"
  echo "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  *) echo "usage: scripts/cluster.sh start|status|stop"; exit 2 ;;
esac
