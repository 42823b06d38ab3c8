#!/usr/bin/env bash
# Issue 9's figures: cross-node fan-out. One room of 1,000 sockets, 10 msg/s (ChatBench scenario d,
# 10,000 deliveries/s), first on one node alone, then with the sockets spread over a three-node
# cluster (socket i on node i mod 3), both on a fresh PostgreSQL database of their own. CPU per
# 100k deliveries counts every node (servers_cpu_s_per_100k). Loopback only; every process it
# starts is killed on exit. Run from the repository root after `mvn -B package -DskipTests`,
# alone and under the cpu lock:
#
#   flock /tmp/pekkochat-cpu.lock chat-bench/cluster-bench.sh /tmp/cluster-bench
#
# Results: one JSON line per run in OUT/<setup>.jsonl and the tool's tables of medians on stdout.
# RUNS (3), PG (127.0.0.1:5432, user postgres), BENCH_JAR and EXTRA (more ChatBench flags) can be
# overridden.
set -euo pipefail
OUT=${1:-/tmp/cluster-bench}
RUNS=${RUNS:-3}
PG=${PG:-127.0.0.1:5432}
BENCH_JAR=${BENCH_JAR:-chat-bench/target/chat-bench.jar}
EXTRA=${EXTRA:-}
rm -rf "$OUT" && mkdir -p "$OUT"

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

# start_nodes NAME COUNT: COUNT nodes on one fresh database, seeds naming them all
start_nodes() {
  local name=$1 count=$2 url seeds="" i
  url=$(fresh_db "$name")
  http_ports=(); cluster_ports=(); node_pids=()
  for i in $(seq 1 "$count"); do http_ports+=("$(free_port)"); cluster_ports+=("$(free_port)"); done
  for i in $(seq 0 $((count - 1))); do seeds+="${seeds:+,}127.0.0.1:${cluster_ports[$i]}"; done
  for i in $(seq 0 $((count - 1))); do
    CHAT_HTTP_PORT=${http_ports[$i]} CHAT_CLUSTER_PORT=${cluster_ports[$i]} CHAT_CLUSTER_SEEDS=$seeds \
      CHAT_DB_URL=$url CHAT_DB_USER=postgres CHAT_JWT_SECRET=cluster-bench-secret-0123456789-0123456789 \
      CHAT_DATA_DIR="$OUT/$name-data-$i" java -jar chat-http/target/chat-node.jar > "$OUT/$name-node-$i.log" 2>&1 &
    node_pids+=("$!"); pids+=("$!")
  done
  for i in $(seq 0 $((count - 1))); do await_ok "http://127.0.0.1:${http_ports[$i]}/readyz"; done
}

stop_nodes() {
  for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}"; do wait "$p" 2>/dev/null || true; done
}

bench() {
  local name=$1 ws="" pid="" i
  for i in "${!http_ports[@]}"; do
    ws+="${ws:+,}http://127.0.0.1:${http_ports[$i]}"
    pid+="${pid:+,}node$i=${node_pids[$i]}"
  done
  echo "== $name" | tee -a "$OUT/tables.txt"
  # shellcheck disable=SC2086
  java -cp "$BENCH_JAR" pekkochat.bench.load.ChatBench --url "http://127.0.0.1:${http_ports[0]}" --ws-url "$ws" \
    --pid "$pid" --scenarios d --runs "$RUNS" --out "$OUT/$name.jsonl" $EXTRA 2> "$OUT/$name.log" | tee -a "$OUT/tables.txt"
}

start_nodes one 1
bench one-node
stop_nodes
start_nodes three 3
bench three-nodes
stop_nodes
