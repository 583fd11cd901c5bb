#!/usr/bin/env bash
# What `beet genretag` costs against `genre-tagger retag --dry-run` on the same files.
#
#   integrations/beets/bench.sh [TRACKS] [SECONDS] [RUNS]     (defaults: 200 tracks of 30 s, 2 runs each)
#
# Makes TRACKS untagged FLACs (sines and noise, ffmpeg) in albums of 10 under a temporary folder,
# imports them as-is into a temporary beets library (BEETSDIR, import.write off, so neither
# command writes files), then times, interleaved RUNS times: `genre-tagger retag DIR --dry-run`
# (the baseline), `beet genretag -p` (classifies and decides, changes nothing) and
# `beet genretag` (also stores every genre in beets' database). The tool is `genre-tagger` on
# PATH, or GENRE_TAGGER="java -jar host-demo/target/host-demo.jar".
set -euo pipefail
tracks=${1:-200}
seconds=${2:-30}
runs=${3:-2}
here=$(cd "$(dirname "$0")" && pwd -P)
tool=${GENRE_TAGGER:-genre-tagger}
work=$(mktemp -d /tmp/genretag-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}

echo "making $tracks tracks of $seconds s in $work/music"
for ((i = 0; i < tracks; i++)); do
    album=$((i / 10))
    dir="$work/music/album$album"
    mkdir -p "$dir"
    if ((i % 2)); then src="anoisesrc=color=pink:sample_rate=44100:seed=$i"; else src="sine=frequency=$((110 + 7 * i)):sample_rate=44100"; fi
    ffmpeg -v error -nostdin -y -f lavfi -i "$src" -t "$seconds" -ac 2 -metadata artist="Bench $album" \
        -metadata album="Bench album $album" -metadata title="Track $i" "$dir/$i.flac"
done

export BEETSDIR="$work/beets"
mkdir -p "$BEETSDIR"
cat > "$BEETSDIR/config.yaml" <<EOF
directory: $work/library
library: $BEETSDIR/library.db
pluginpath: $here/beetsplug
plugins: genretagger
import:
    copy: no
    write: no
genretagger:
    command: $tool
EOF
beet import -A -q "$work/music" > /dev/null 2>&1

timed() { # label, command...: prints wall seconds
    local label=$1; shift
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
    t1=$(date +%s.%N)
    printf '%-40s %6.1f s\n' "$label" "$(echo "$t1 - $t0" | bc)" | tee -a "$work/times.txt"
}
# shellcheck disable=SC2086
for ((r = 1; r <= runs; r++)); do
    timed "retag --dry-run (run $r)" $tool retag "$work/music" --dry-run
    timed "beet genretag -p (run $r)" beet genretag -p
    timed "beet genretag, database only (run $r)" beet genretag -f
done
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(beet version | head -1); $($tool --version | grep '^model')"
awk '/retag/ {r += $(NF-1); nr++} /genretag -p/ {p += $(NF-1); np++} /database only/ {d += $(NF-1); nd++}
     END {printf "mean: retag --dry-run %.1f s, genretag -p %.1f s (%+.0f %%), genretag %.1f s (%+.0f %%)\n",
          r/nr, p/np, 100*(p/np)/(r/nr)-100, d/nd, 100*(d/nd)/(r/nr)-100}' "$work/times.txt"
