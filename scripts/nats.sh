# Sourced by test.sh (and usable by hand): installs Debian's nats-server when missing and starts a throwaway server with
# JetStream on a free loopback port, its store in a temporary folder. Sets NATS_URL and NATS_WORK;
# stop_throwaway_nats stops it and removes the folder. Needs ensure_packages from scripts/postgres.sh.

start_throwaway_nats() {
  command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || ensure_packages nats-server
  local bin; bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  NATS_WORK=$(mktemp -d /tmp/bulwark-nats.XXXXXX)
  local port candidate
  for _ in 1 2 3 4 5; do
    candidate=$(( 20000 + RANDOM % 20000 ))
    "$bin" -a 127.0.0.1 -p "$candidate" -js -sd "$NATS_WORK/store" -l "$NATS_WORK/nats.log" &
    NATS_PID=$!
    # Ready when it accepts connections; gone when the port was taken.
    for _ in $(seq 1 100); do
      if ! kill -0 "$NATS_PID" 2>/dev/null; then break; fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break 2; fi
      sleep 0.1
    done
    kill "$NATS_PID" 2>/dev/null || true; wait "$NATS_PID" 2>/dev/null || true
  done
  [ -n "${port:-}" ] || { echo "could not start nats-server"; cat "$NATS_WORK/nats.log" 2>/dev/null; return 1; }
  NATS_URL="nats://127.0.0.1:$port"
}

stop_throwaway_nats() {
  [ -n "${NATS_WORK:-}" ] || return 0
  # nats-server exits non-zero on SIGTERM; under `set -e` in an EXIT trap that status would become the caller's.
  if [ -n "${NATS_PID:-}" ]; then kill "$NATS_PID" 2>/dev/null || true; wait "$NATS_PID" 2>/dev/null || true; fi
  rm -rf "$NATS_WORK"
}
