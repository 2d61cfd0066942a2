# Sourced by test.sh and bench scripts: installs PostgreSQL via apt when missing and starts a throwaway server on a loopback
# port in a temporary directory. Sets PG_URL (an Npgsql connection string to database "postgres") and PG_RESTART (a command
# that restarts it); stop_throwaway_postgres stops it and removes the directory.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_packages() {
  local need=() p
  for p in "$@"; do
    case $p in
      postgresql) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql) ;;
      tesseract-ocr) command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr) ;;
      # Tesseract language data: tesseract-ocr-eng → eng.traineddata.
      tesseract-ocr-*) ls /usr/share/tesseract-ocr/*/tessdata/"${p#tesseract-ocr-}".traineddata >/dev/null 2>&1 || need+=("$p") ;;
      fonts-dejavu-core) [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=("$p") ;;
      # A library has no command to look for: look for its shared object.
      libturbojpeg0) ls /usr/lib/*/libturbojpeg.so.0 >/dev/null 2>&1 || need+=("$p") ;;
      *) command -v "$p" >/dev/null 2>&1 || need+=("$p") ;;
    esac
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]} via apt"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

start_throwaway_postgres() {
  ensure_packages postgresql
  PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  PG_WORK=$(mktemp -d /tmp/bulwark-pg.XXXXXX)
  chmod 755 "$PG_WORK"
  # PostgreSQL refuses to run as root: run it as the postgres user then.
  if [ "$(id -u)" = 0 ]; then PG_AS="runuser -u postgres --"; chown postgres "$PG_WORK"; else PG_AS=""; fi
  $PG_AS "$PG_BIN/initdb" -D "$PG_WORK/data" -U bulwark --auth=trust -E UTF8 >/dev/null
  local port="" candidate
  for _ in 1 2 3 4 5; do
    candidate=$(( 20000 + RANDOM % 20000 ))
    if $PG_AS "$PG_BIN/pg_ctl" -D "$PG_WORK/data" -l "$PG_WORK/postgres.log" -w -t 30 \
         -o "-p $candidate -k $PG_WORK -c listen_addresses=127.0.0.1 -c max_connections=300 ${PG_EXTRA_OPTIONS:-}" start >/dev/null; then
      port=$candidate; break
    fi
  done
  [ -n "$port" ] || { echo "could not start PostgreSQL"; cat "$PG_WORK/postgres.log"; return 1; }
  PG_URL="Host=127.0.0.1;Port=$port;Username=bulwark;Database=postgres"
  PG_RESTART="$PG_AS $PG_BIN/pg_ctl -D $PG_WORK/data -w -t 60 restart -m fast"
}

stop_throwaway_postgres() {
  [ -n "${PG_WORK:-}" ] || return 0
  $PG_AS "$PG_BIN/pg_ctl" -D "$PG_WORK/data" stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$PG_WORK"
}
