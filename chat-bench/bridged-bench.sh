#!/usr/bin/env bash
# Issue 10's figures: bridged fan-out. One room of 1,000 sockets, 10 msg/s (ChatBench scenario d,
# 10,000 deliveries/s), first on one node alone, then with the sockets spread over two bridged
# nodes (socket i on node i mod 2; no cluster, PostgreSQL and Redis shared), so half the deliveries
# and half the sends cross Redis: a follower's send goes to the writer's inbox and its ack back,
# and the writer's events reach the follower on the room's channel. CPU per 100k deliveries counts
# both nodes (servers_cpu_s_per_100k), not Redis. Loopback only; every process it starts is killed
# on exit. Run from the repository root after `mvn -B package -DskipTests`, alone, under the lock:
#
#   flock /tmp/pekkochat-cpu.lock chat-bench/bridged-bench.sh /tmp/bridged-bench
#
# Results: one JSON line per run in OUT/<setup>.jsonl and the tool's tables of medians on stdout.
# RUNS (3), PG (127.0.0.1:5432, user postgres), REDIS (redis://127.0.0.1:6379), BENCH_JAR and
# EXTRA (more ChatBench flags) can be overridden.
set -euo pipefail
OUT=${1:-/tmp/bridged-bench}
RUNS=${RUNS:-3}
PG=${PG:-127.0.0.1:5432}
REDIS=${REDIS:-redis://127.0.0.1:6379}
BENCH_JAR=${BENCH_JAR:-chat-bench/target/chat-bench.jar}
EXTRA=${EXTRA:-}
SCENARIO=d
rm -rf "$OUT" && mkdir -p "$OUT"
# shellcheck source=chat-bench/node-fleet.sh
source "$(dirname "$0")/node-fleet.sh"

start_nodes one 1 alone
bench one-node
stop_nodes
start_nodes bridged 2 bridged
bench two-bridged-nodes
stop_nodes
