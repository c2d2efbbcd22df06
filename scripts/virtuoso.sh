#!/usr/bin/env bash
# A throwaway Virtuoso (Debian's virtuoso-opensource) on 127.0.0.1, for the tests, CI and trying
# `--store sparql:` by hand. Nothing here touches the system's own Virtuoso service or database.
#
#   bash scripts/virtuoso.sh start DIR   # install if missing, start a new database in DIR on free
#                                        # ports; prints the SPARQL endpoint URL on stdout
#   bash scripts/virtuoso.sh stop DIR    # stop the server started in DIR (its files are kept)
#
# The endpoint accepts SPARQL 1.1 Update without a password (the SPARQL user is granted
# SPARQL_UPDATE): fine on the loopback interface of a test machine, never on a shared server.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 64; }
[ $# -eq 2 ] || usage
action=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

install_virtuoso() {
    command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "virtuoso.sh: installing Debian's virtuoso-opensource..." >&2
        # The package's own service must not start: we run our own database in DIR.
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null 2>&1 || {
            apt-get update -qq && apt-get install -y -qq --no-install-recommends \
                virtuoso-opensource >/dev/null; }
        # Debian starts the packaged service when it can; ours uses its own ports and files.
        if command -v service >/dev/null; then service virtuoso-opensource-7 stop >/dev/null 2>&1 || true; fi
    else
        echo "virtuoso.sh: needs Debian's virtuoso-opensource (virtuoso-t, isql-vt); install it" \
             "with 'sudo apt-get install virtuoso-opensource' and rerun." >&2
        exit 1
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    install_virtuoso
    if [ -f "$dir/endpoint" ] && [ -f "$dir/virtuoso.lck" ]; then
        echo "virtuoso.sh: a server already runs in $dir ($(cat "$dir/endpoint")); stop it first" >&2
        exit 1
    fi
    local sql_port http_port
    sql_port=$(free_port)
    http_port=$(free_port)
    while [ "$http_port" = "$sql_port" ]; do http_port=$(free_port); done
    mkdir -p "$dir/vsp"
    cat >"$dir/virtuoso.ini" <<EOF
[Database]
DatabaseFile = $dir/virtuoso.db
ErrorLogFile = $dir/virtuoso.log
LockFile = $dir/virtuoso.lck
TransactionFile = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = $dir/virtuoso-temp.db
TransactionFile = $dir/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:$sql_port
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
AllowOSCalls = 0
DirsAllowed = ., $dir
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
MaxQueryMem = 1G
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:$http_port
ServerRoot = $dir/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
MaxSortedTopRows = 100000000
EOF
    (cd "$dir" && virtuoso-t +configfile "$dir/virtuoso.ini" +wait >"$dir/start.log" 2>&1) || {
        echo "virtuoso.sh: Virtuoso did not start; see $dir/virtuoso.log:" >&2
        tail -20 "$dir/virtuoso.log" >&2 || true
        exit 1
    }
    # Anonymous SPARQL may write (SPARQL_UPDATE) into any graph, on this loopback server only.
    isql-vt "127.0.0.1:$sql_port" dba dba >"$dir/setup.log" 2>&1 <<'EOF'
GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
EOF
    echo "$sql_port" >"$dir/sql-port"
    echo "http://127.0.0.1:$http_port/sparql" >"$dir/endpoint"
    for _ in $(seq 1 100); do
        if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1] + '?query=ASK%7B%7D', timeout=2)" \
                "$(cat "$dir/endpoint")" 2>/dev/null; then
            cat "$dir/endpoint"
            return
        fi
        sleep 0.2
    done
    echo "virtuoso.sh: the SPARQL endpoint $(cat "$dir/endpoint") does not answer" >&2
    exit 1
}

stop() {
    [ -f "$dir/sql-port" ] || { echo "virtuoso.sh: no server was started in $dir" >&2; exit 1; }
    isql-vt "127.0.0.1:$(cat "$dir/sql-port")" dba dba -K >/dev/null 2>&1 || true
    for _ in $(seq 1 100); do
        [ -f "$dir/virtuoso.lck" ] || break
        sleep 0.2
    done
    rm -f "$dir/endpoint" "$dir/sql-port"
}

case $action in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
