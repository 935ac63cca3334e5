# Sourced by test.sh and pg-bench.sh. `start_private_pg [SERVER OPTIONS]` starts a private
# PostgreSQL on 127.0.0.1 at a free port (as user postgres when run as root: the server refuses
# root), exports SLUICE_TEST_PG, and stops it and removes its files when the script exits,
# also on failure.
start_private_pg() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  PG_DIR=$(mktemp -d /tmp/sluice-pg.XXXXXX)
  chown postgres "$PG_DIR" 2>/dev/null || true
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  trap stop_private_pg EXIT
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/data/log" \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 $*" start >/dev/null
  export SLUICE_TEST_PG="host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres"
  echo "sluice: private PostgreSQL on 127.0.0.1:$PG_PORT" >&2
}

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_private_pg() {
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
