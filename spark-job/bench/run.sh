#!/usr/bin/env bash
# Benchmark (not a test): tracks/s of the Spark job in local[1] and local[2] against
# host-demo classify on the same tracks. Run from the repository root after
# `mvn -B -q package -DskipTests`, on an otherwise idle machine (or under the heavy-job lock):
#
#   spark-job/bench/run.sh DIR [ANALYSIS]
#
# DIR holds the tracks (e.g. the bench corpus in ~/.cache/genre-tagger/bench/); ANALYSIS is
# passed to both tools (default: the model's). Each tool runs twice, on all N tracks and on the
# first N/4; it prints the wall time of the whole command (JVM, Spark and plugin start-up included)
# and the marginal rate (N - N/4) / (T(N) - T(N/4)), which leaves the fixed start-up cost out.
set -euo pipefail
dir=${1:?usage: run.sh DIR [ANALYSIS]}
analysis=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# MXNet: one OpenMP thread per worker or task core in both tools (their default when unset).
unset OMP_NUM_THREADS
find "$dir" -maxdepth 1 -type f \( -name '*.mp3' -o -name '*.flac' -o -name '*.m4a' \) | sort > "$work/all.txt"
n=$(wc -l < "$work/all.txt")
q=$((n / 4))
head -n "$q" "$work/all.txt" > "$work/quarter.txt"
opt=()
[ -n "$analysis" ] && opt=(--analysis "$analysis")

now() { date +%s.%N; }
# tool LIST OUT: runs one tool (in $tool) on a listing, prints the seconds it took
run() {
  local t0 t1
  t0=$(now)
  case "$tool" in
    host) xargs -a "$1" -d '\n' java -jar host-demo/target/host-demo.jar classify --json "${opt[@]}" > "$2.jsonl" ;;
    local*) java -jar spark-job/target/genre-spark.jar --master "$tool" --input "$1" --output "$2" --format jsonl \
        "${opt[@]}" > "$2.summary" 2> "$2.err" || true ;;
  esac
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

echo "$n tracks from $dir (and the first $q), analysis ${analysis:-default}, $(nproc) cores, $(date -u)"
printf '%-28s %10s %10s %14s %16s %14s\n' tool "T($q) s" "T($n) s" "tracks/s" "marginal tr/s" "per core"
for tool in host 'local[1]' 'local[2]'; do
  tq=$(run "$work/quarter.txt" "$work/q-$tool")
  tn=$(run "$work/all.txt" "$work/n-$tool")
  cores=1; [ "$tool" = 'local[2]' ] && cores=2
  name="genre-spark $tool"; [ "$tool" = host ] && name="host-demo classify (1 thread)"
  awk -v name="$name" -v n="$n" -v q="$q" -v tq="$tq" -v tn="$tn" -v c="$cores" \
      'BEGIN { m = (n - q) / (tn - tq); printf "%-28s %10.1f %10.1f %14.2f %16.2f %14.2f\n", name, tq, tn, n / tn, m, m / c }'
done
for tool in 'local[1]' 'local[2]'; do echo "job's own summary, $tool: $(head -1 "$work/n-$tool.summary")"; done
# Same verdicts: every track's genres, job (local[2]) against host-demo.
cat "$work/n-local[2]"/*.json | python3 -c '
import json, sys
host = {}
for l in open(sys.argv[1]):
    o = json.loads(l); host[o["file"]] = o.get("genres")
worst, same, rows = 0.0, 0, 0
for l in sys.stdin:
    o = json.loads(l); h = host.get(o["file"]); j = o.get("genres"); rows += 1
    if h and j and [g["label"] for g in h] == [g["label"] for g in j]:
        same += 1
        worst = max(worst, max(abs(a["probability"] - b["probability"]) for a, b in zip(h, j)))
print(f"same ranking as host-demo: {same}/{rows} tracks; largest probability difference {worst:.1e}")' "$work/n-host.jsonl"
