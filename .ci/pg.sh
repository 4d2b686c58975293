#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for the shared-office tests.
# Sourced by .ci/run: exports TAPHUAN_TEST_PG_URL and PG_STOP (a command that stops it).
# PostgreSQL refuses to run as root, so the cluster belongs to the postgres user.
pg_start() {
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then
            apt-get update -qq >/dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || true
        fi
    fi
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "PostgreSQL is not available: its tests will be skipped" >&2
        return 0
    fi
    local port=${TAPHUAN_PG_PORT:-54329}
    PG_DIR=$(mktemp -d /tmp/taphuan-pg.XXXXXX)
    local run_as=()
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home "$PG_DIR" postgres
        chown postgres "$PG_DIR"
        run_as=(runuser -u postgres --)
    fi
    "${run_as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 0; }
    "${run_as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off" start >/dev/null \
        || { cat "$PG_DIR/server.log" >&2; return 0; }
    export TAPHUAN_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    PG_STOP="${run_as[*]} $bin/pg_ctl -D $PG_DIR/data -m fast stop"
    echo "PostgreSQL started on 127.0.0.1:$port" >&2
}
