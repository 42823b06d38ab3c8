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

SCENARIO=d
# shellcheck source=chat-bench/node-fleet.sh
source "$(dirname "$0")/node-fleet.sh"

start_nodes one 1 alone
bench one-node
stop_nodes
start_nodes three 3 cluster
bench three-nodes
stop_nodes
