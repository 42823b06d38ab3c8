# Shared by cluster-bench.sh and bridged-bench.sh (sourced, not run): start chat nodes on a fresh
# PostgreSQL database of their own, run ChatBench against all of them, stop them. Expects OUT, RUNS,
# PG, BENCH_JAR, EXTRA and SCENARIO set by the caller; every process started is killed on exit.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await_ok() { for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done; echo "no answer from $1" >&2; return 1; }
pids=()
dbs=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for d in "${dbs[@]}"; do psql -h "${PG%:*}" -p "${PG#*:}" -U postgres -qc "DROP DATABASE IF EXISTS $d" || true; done
}
trap cleanup EXIT

fresh_db() {
  local name="chat_bench_$1_$$"
  psql -h "${PG%:*}" -p "${PG#*:}" -U postgres -qc "CREATE DATABASE $name"
  dbs+=("$name")
  echo "jdbc:postgresql://$PG/$name"
}

# start_nodes NAME COUNT TOPOLOGY: COUNT nodes on one fresh database. TOPOLOGY "cluster": seeds
# naming them all; "bridged": no seeds, CHAT_REDIS_URL=$REDIS with a namespace of their own.
start_nodes() {
  local name=$1 count=$2 topology=$3 url seeds="" i
  url=$(fresh_db "$name")
  http_ports=(); cluster_ports=(); node_pids=()
  for i in $(seq 1 "$count"); do http_ports+=("$(free_port)"); cluster_ports+=("$(free_port)"); done
  for i in $(seq 0 $((count - 1))); do seeds+="${seeds:+,}127.0.0.1:${cluster_ports[$i]}"; done
  for i in $(seq 0 $((count - 1))); do
    local topology_env=()
    if [ "$topology" = cluster ]; then topology_env=("CHAT_CLUSTER_SEEDS=$seeds"); fi
    if [ "$topology" = bridged ]; then topology_env=("CHAT_REDIS_URL=$REDIS" "JAVA_TOOL_OPTIONS=-Dchat.redis.namespace=bench-$name-$$"); fi
    env "${topology_env[@]}" CHAT_HTTP_PORT=${http_ports[$i]} CHAT_CLUSTER_PORT=${cluster_ports[$i]} \
      CHAT_DB_URL=$url CHAT_DB_USER=postgres CHAT_JWT_SECRET=node-fleet-bench-secret-0123456789-0123456789 \
      CHAT_DATA_DIR="$OUT/$name-data-$i" java -jar chat-http/target/chat-node.jar > "$OUT/$name-node-$i.log" 2>&1 &
    node_pids+=("$!"); pids+=("$!")
  done
  for i in $(seq 0 $((count - 1))); do await_ok "http://127.0.0.1:${http_ports[$i]}/readyz"; done
}

stop_nodes() {
  for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}"; do wait "$p" 2>/dev/null || true; done
}

# bench NAME: ChatBench's $SCENARIO with socket i on node i mod count; REST on the first node
bench() {
  local name=$1 ws="" pid="" i
  for i in "${!http_ports[@]}"; do
    ws+="${ws:+,}http://127.0.0.1:${http_ports[$i]}"
    pid+="${pid:+,}node$i=${node_pids[$i]}"
  done
  echo "== $name" | tee -a "$OUT/tables.txt"
  # shellcheck disable=SC2086
  java -cp "$BENCH_JAR" pekkochat.bench.load.ChatBench --url "http://127.0.0.1:${http_ports[0]}" --ws-url "$ws" \
    --pid "$pid" --scenarios "$SCENARIO" --runs "$RUNS" --out "$OUT/$name.jsonl" $EXTRA 2> "$OUT/$name.log" | tee -a "$OUT/tables.txt"
}
