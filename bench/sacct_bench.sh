#!/usr/bin/env bash
# `sacct -X` over 10,000 finished jobs: the wall time of the whole command (start-up, the
# ListJobRecords call, the accounting store's query, formatting), median of N runs in ms.
# Starts a one-node local cluster in a temporary folder, fills its accounting store with
# 10,000 finished job records (the rows the controller writes, inserted in one SQL
# statement so the set-up takes a second, not the hours 10,000 real jobs would), runs
# sacct, and stops the cluster.
# Usage: bench/sacct_bench.sh [N] [BUILD]   (BUILD defaults to build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50}
BIN=$(realpath "${2:-build/release}")/bin
JOBS=10000
DIR=$(mktemp -d /tmp/drover-sacct-bench-XXXXXX)
cleanup() { "$BIN/drover" down --dir "$DIR" >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT

"$BIN/drover" up --dir "$DIR" --nodes 1 >/dev/null
eval "$("$BIN/drover" env --dir "$DIR")"
DB="$DIR/state/drover_acct.db"
for _ in $(seq 100); do [ -s "$DB" ] && break; sleep 0.1; done
now=$(date +%s)
sqlite3 "$DB" >/dev/null <<SQL
PRAGMA busy_timeout=5000;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $JOBS)
INSERT OR REPLACE INTO job SELECT 100000 + i, $now - 3600 + i % 3000, 0, -1,
  CAST('bench_' || i AS BLOB), 0, CAST('root' AS BLOB), 0, CAST('' AS BLOB),
  CAST('debug' AS BLOB), CAST('' AS BLOB), CAST('bench' AS BLOB),
  CAST(CASE WHEN i % 10 = 0 THEN 'FAILED' ELSE 'COMPLETED' END AS BLOB), -1,
  CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END, 0, $now - 3600 + i % 3000, $now - 3000 + i % 3000,
  $now - 2900 + i % 3000, 3600, 1, 1, 1, 1000, CAST('node1' AS BLOB), CAST('node1' AS BLOB),
  CAST('/tmp' AS BLOB), CAST('None' AS BLOB), 0 FROM n;
SQL

rows=$(sacct -X -n -S now-2hours | wc -l)
[ "$rows" -ge "$JOBS" ] || { echo "sacct printed $rows rows, expected $JOBS" >&2; exit 1; }
samples=()
for _ in $(seq "$N"); do
  start=$EPOCHREALTIME
  sacct -X -S now-2hours >/dev/null
  end=$EPOCHREALTIME
  samples+=("$(( (${end/./} - ${start/./}) ))")
done
median=$(printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}')
printf 'sacct -X over %d finished jobs (%d rows): median %s ms of %d runs\n' \
  "$JOBS" "$rows" "$median" "$N"
