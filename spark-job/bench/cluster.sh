#!/usr/bin/env bash
# Benchmark (not a test): per-core tracks/s of the Spark job on a standalone cluster on this
# machine (a master and WORKERS one-core workers, each its own JVM on 127.0.0.1, the job sent with
# spark-submit, the plugin zip with --files) against host-demo classify (one thread) on the same
# tracks, the same model and the default analysis. Run from the repository root after
# `mvn -B -q package -DskipTests`, on an otherwise idle machine:
#
#   spark-job/bench/cluster.sh DIR [WORKERS] [MODEL_DIR]
#
# DIR holds the tracks (e.g. the bench corpus in ~/.cache/genre-tagger/bench/); WORKERS defaults
# to 2 (one per core here); MODEL_DIR is a model made by `host-demo learn` (zipped and sent with
# --archives; host-demo gets --model), default: the plugin's bundled model. Like run.sh, each tool
# runs on all N tracks and on the first N/4, and the marginal rate (N - N/4) / (T(N) - T(N/4))
# leaves out the fixed start-up cost (JVMs, Spark session, executors, plugin load).
set -euo pipefail
dir=${1:?usage: cluster.sh DIR [WORKERS] [MODEL_DIR]}
workers=${2:-2}
model=${3:-}
root=$(pwd)
lib="$root/spark-job/target/lib"
jar="$root/spark-job/target/genre-spark.jar"
zip=$(ls "$root"/spark-job/target/plugins/genre-plugin-*.zip | head -1)
[ -f "$jar" ] && [ -f "$zip" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
pids=() wpids=()
# Workers first with their executors (direct children), then the master: by process id only.
cleanup() {
  for p in "${pids[@]}"; do kill -9 $(pgrep -P "$p") "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# MXNet: one OpenMP thread per task core on the executors (the job's setting when the variable is
# unset) and one in host-demo, which classifies one track at a time: per core, like for like.
unset OMP_NUM_THREADS

# A Spark installation from the build's jars (without the job's own libraries, which genre-spark.jar carries).
mkdir -p "$work/spark/jars"
for j in "$lib"/*.jar; do
  case "$(basename "$j")" in plugin-api-*|pf4j-*|picocli-*|java-semver-*) ;; *) ln -s "$j" "$work/spark/jars/" ;; esac
done
export SPARK_HOME="$work/spark" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
spark_java() { java "${opens[@]}" -cp "$SPARK_HOME/jars/*" "$@"; }

java "${opens[@]}" -cp "$SPARK_HOME/jars/*" -Xmx256m org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0 \
    > "$work/master.log" 2>&1 &
pids+=($!); disown
for _ in $(seq 300); do grep -q 'Starting Spark master at' "$work/master.log" && break; sleep 0.2; done
url=$(grep -o 'spark://[^ ]*' "$work/master.log" | head -1)
for i in $(seq "$workers"); do
  java "${opens[@]}" -cp "$SPARK_HOME/jars/*" -Xmx256m org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
      --cores 1 --memory 2g --work-dir "$work/worker-$i" "$url" > "$work/worker-$i.log" 2>&1 &
  pids+=($!) wpids+=($!); disown
done
for i in $(seq "$workers"); do
  for _ in $(seq 300); do grep -q 'Successfully registered with master' "$work/worker-$i.log" && break; sleep 0.2; done
done

find "$dir" -maxdepth 1 \( -type f -o -type l \) ! -name '.*' \( -name '*.mp3' -o -name '*.flac' -o -name '*.m4a' -o -name '*.wav' \) | sort > "$work/all.txt"
n=$(wc -l < "$work/all.txt")
q=$((n / 4))
head -n "$q" "$work/all.txt" > "$work/quarter.txt"
host_model=() job_model=()
if [ -n "$model" ]; then
  (cd "$model" && zip -q -j "$work/model.zip" config.json $(ls | grep -E '\.params$' || true))
  host_model=(--model "$model")
  job_model=(--archives "$work/model.zip#model")
fi

now() { date +%s.%N; }
# CPU seconds of a process's finished (reaped) children: an executor's go to its worker when it ends.
ticks=$(getconf CLK_TCK)
child_cpu() { awk -v t="$ticks" '{ printf "%.2f", ($16 + $17) / t }' "/proc/$1/stat"; }
executors_cpu() { local s=0; for w in "${wpids[@]}"; do s=$(awk -v a="$s" -v b="$(child_cpu "$w")" 'BEGIN { print a + b }'); done; echo "$s"; }
run() { # run LIST OUT: one tool (in $tool) on a listing; prints the seconds it took, and the CPU seconds of
        # the work: host-demo's JVM, or the cluster's executors (the driver's apart, in OUT.driver-cpu)
  local t0 t1 c0 c1 me=$BASHPID
  t0=$(now)
  if [ "$tool" = host ]; then c0=$(child_cpu "$me"); else c0=$(executors_cpu); fi
  case "$tool" in
    host) xargs -a "$1" -d '\n' env OMP_NUM_THREADS=1 java -jar host-demo/target/host-demo.jar classify --json \
        "${host_model[@]}" > "$2.jsonl" ;;
    cluster) spark_java -Xmx1g org.apache.spark.deploy.SparkSubmit --master "$url" --deploy-mode client \
        --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
        --conf spark.executor.memory=1g --conf spark.executor.cores=1 --class org.genretagger.spark.GenreSparkJob \
        --files "$zip" "${job_model[@]}" "$jar" --input "$1" --output "$2" --format jsonl \
        $([ -n "$model" ] && echo --model model) > "$2.summary" 2> "$2.err" || true
      grep -q 'tracks classified' "$2.summary" || { echo "genre-spark failed on $1; its last output:" >&2; tail -n 30 "$2.err" >&2; } ;;
  esac
  t1=$(now)
  if [ "$tool" = host ]; then c1=$(child_cpu "$me"); else
    # The executors end shortly after the application; their CPU counts once their worker has reaped
    # them (a zombie is still the worker's child, so wait for no child at all).
    for _ in $(seq 150); do [ -z "$(pgrep -P "$(IFS=,; echo "${wpids[*]}")")" ] && break; sleep 0.2; done
    c1=$(executors_cpu)
    child_cpu "$me" > "$2.driver-cpu"
  fi
  awk -v a="$t0" -v b="$t1" -v c="$c0" -v d="$c1" 'BEGIN { printf "%.2f %.2f", b - a, d - c }'
}

echo "$n tracks from $dir (and the first $q), model ${model:-bundled}, default analysis; $(nproc) cores, $(uptime | sed 's/.*load/load/'), $(date -u)"
# Per core two ways: the marginal wall-clock rate over the cores, and tracks per CPU second of the
# work (marginal too): host-demo's JVM against the executors' JVMs. The second holds up better when
# other jobs share the cores.
printf '%-38s %8s %8s %9s %13s %9s %10s %10s %13s\n' tool "T($q) s" "T($n) s" "tracks/s" "marginal tr/s" "per core" "CPU($q) s" "CPU($n) s" "tracks/CPU-s"
for tool in ${TOOLS:-host cluster}; do  # TOOLS=cluster: the cluster alone
  read -r tq cq <<< "$(run "$work/quarter.txt" "$work/q-$tool")"
  read -r tn cn <<< "$(run "$work/all.txt" "$work/n-$tool")"
  cores=1; name="host-demo classify (1 thread)"
  [ "$tool" = cluster ] && cores=$workers && name="genre-spark, standalone, $workers x 1 core"
  awk -v name="$name" -v n="$n" -v q="$q" -v tq="$tq" -v tn="$tn" -v c="$cores" -v cq="$cq" -v cn="$cn" \
      'BEGIN { m = (n - q) / (tn - tq); printf "%-38s %8.1f %8.1f %9.2f %13.2f %9.2f %10.1f %10.1f %13.2f\n", name, tq, tn, n / tn, m, m / c, cq, cn, (n - q) / (cn - cq) }'
done
echo "driver JVM CPU seconds (cluster): $(cat "$work/q-cluster.driver-cpu") for $q tracks, $(cat "$work/n-cluster.driver-cpu") for $n"
echo "load average after: $(uptime | sed 's/.*load average: //')"
echo "job's own summary: $(head -1 "$work/n-cluster.summary")"
[ -f "$work/n-host.jsonl" ] || exit 0
# Same verdicts: every track's genres, job against host-demo.
cat "$work/n-cluster"/*.json | python3 -c '
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
