#!/usr/bin/env bash
# Issue 14's figures: the same fan-out (ChatBench scenario b: 2,000 sockets, 20 rooms of 100,
# 200 msg/s = 20,000 deliveries/s) straight to one node, through chat-balancer and, where it is
# installed, through nginx (one worker, proxy_buffering off); then idle sockets through the
# balancer (scenario a) and 100,000 deliveries/s through it. Loopback only; every process it
# starts is killed on exit. Run from the repository root after `mvn -B package -DskipTests`,
# under the cpu lock for the whole run:
#
#   flock /tmp/pekkochat-cpu.lock chat-bench/balancer-bench.sh /tmp/balancer-bench
#
# Results: one JSON line per measured step in OUT/<path>.jsonl, and the tool's tables of medians
# on stdout. RUNS (3), IDLE_SOCKETS (9800: the balancer holds two descriptors per socket and the
# hard open-files limit here is 20,000), BALANCER_JVM (-Xmx512m), BENCH_JAR, STEPS (which of
# "straight balancer nginx idle 100k straight-100k" to run; straight-100k, the node alone at the last
# step's rate, only when named) and EXTRA (more ChatBench flags for every step) can be overridden;
# RUNS_100K sets the runs of the 100k steps alone.
set -euo pipefail
OUT=${1:-/tmp/balancer-bench}
RUNS=${RUNS:-3}
IDLE_SOCKETS=${IDLE_SOCKETS:-9800}
BALANCER_JVM=${BALANCER_JVM:--Xmx512m}
BENCH_JAR=${BENCH_JAR:-chat-bench/target/chat-bench.jar}
STEPS=${STEPS:-straight balancer nginx idle 100k}
EXTRA=${EXTRA:-}
rm -rf "$OUT" && mkdir -p "$OUT"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await_ok() { for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done; echo "no answer from $1" >&2; return 1; }

NODE_PORT=$(free_port); BALANCER_PORT=$(free_port); NGINX_PORT=$(free_port)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

CHAT_HTTP_PORT=$NODE_PORT CHAT_CLUSTER_PORT=$(free_port) CHAT_DATA_DIR="$OUT/node-data" \
  java -jar chat-http/target/chat-node.jar > "$OUT/node.log" 2>&1 &
NODE=$!; pids+=("$NODE")
BALANCER_PORT=$BALANCER_PORT BALANCER_BACKENDS=127.0.0.1:$NODE_PORT \
  java $BALANCER_JVM -jar chat-balancer/target/chat-balancer.jar > "$OUT/balancer.log" 2>&1 &
BALANCER=$!; pids+=("$BALANCER")
await_ok "http://127.0.0.1:$NODE_PORT/readyz"
await_ok "http://127.0.0.1:$BALANCER_PORT/readyz"

NGINX_WORKER=""
if command -v nginx > /dev/null; then
  sed "s/NODE_PORT/$NODE_PORT/; s/NGINX_PORT/$NGINX_PORT/; s#/tmp/balbench#$OUT#g" chat-bench/nginx-reference.conf > "$OUT/nginx.conf"
  nginx -p "$OUT" -c "$OUT/nginx.conf" > "$OUT/nginx.log" 2>&1 &
  pids+=("$!")
  await_ok "http://127.0.0.1:$NGINX_PORT/readyz"
  NGINX_WORKER=$(pgrep -P "$(cat "$OUT/nginx.pid")" | head -1)
fi

bench() {
  local name=$1; shift
  case " $STEPS " in *" ${name#balancer-} "*) ;; *) return 0 ;; esac
  echo "== $name" | tee -a "$OUT/tables.txt"
  # shellcheck disable=SC2086
  java -cp "$BENCH_JAR" pekkochat.bench.load.ChatBench --url "http://127.0.0.1:$NODE_PORT" \
    --runs "$RUNS" --out "$OUT/$name.jsonl" "$@" $EXTRA 2> "$OUT/$name.log" | tee -a "$OUT/tables.txt"
}

bench straight --scenarios b --pid "node=$NODE"
bench balancer --scenarios b --ws-url "http://127.0.0.1:$BALANCER_PORT" --pid "balancer=$BALANCER,node=$NODE"
if [ -n "$NGINX_WORKER" ]; then
  bench nginx --scenarios b --ws-url "http://127.0.0.1:$NGINX_PORT" --pid "nginx=$NGINX_WORKER,node=$NODE"
fi
bench balancer-idle --scenarios a --a.sockets "$IDLE_SOCKETS" --ws-url "http://127.0.0.1:$BALANCER_PORT" \
  --pid "balancer=$BALANCER,node=$NODE"
# 100 senders: 10 msg/s each is what the node's per-user rate limit lets through (20 would be refused
# 80 % of their sends); a longer drain, so that what a saturated node queued still counts as delivered
FAST="--b.rate 1000 --b.senders 100 --b.drain 30"
# shellcheck disable=SC2086
RUNS=${RUNS_100K:-$RUNS} bench balancer-100k --scenarios b $FAST --ws-url "http://127.0.0.1:$BALANCER_PORT" \
  --pid "balancer=$BALANCER,node=$NODE"
# the same rate straight to the node: what the node alone carries on this machine
# shellcheck disable=SC2086
RUNS=${RUNS_100K:-$RUNS} bench straight-100k --scenarios b $FAST --pid "node=$NODE"
