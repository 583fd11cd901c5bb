#!/usr/bin/env bash
# Learn on outside music where half the artists carry their genre tag, then classify the other half
# with what was learned: how well `learn` fills a real library's gaps.
#   trainer/bench/learn-outside.sh [OUTSIDE_DIR] [WORK_DIR]
# OUTSIDE_DIR holds labels.tsv (file, genre, artist, album, title) and the files (default
# ../shared/data/outside-dev). The copies go to WORK_DIR (default /tmp/learn-outside), never into
# the project. Needs ffmpeg and a built host-demo (mvn -B -q package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$(realpath "${1:-../shared/data/outside-dev}")
work=${2:-/tmp/learn-outside}
jar=${GENRE_TAGGER_JAR:-host-demo/target/host-demo.jar}
rm -rf "$work" && mkdir -p "$work/library/tagged" "$work/library/untagged"
# Within each genre, artists in a fixed order; every other one keeps its genre tag.
tail -n +2 "$src/labels.tsv" | cut -f2,3 | sort -u | awk -F'\t' '{n[$1]++} n[$1] % 2 == 1 {print $2}' > "$work/tagged-artists"
tail -n +2 "$src/labels.tsv" | while IFS=$'\t' read -r file genre artist album title; do
    if grep -qxF "$artist" "$work/tagged-artists"; then half=tagged; tag=$genre; else half=untagged; tag=; fi
    out="$work/library/$half/$(echo "$artist" | tr '/ ' '__')-$(basename "$file")"
    ffmpeg -nostdin -loglevel error -y -i "$src/$file" -map 0:a -c copy -map_metadata -1 \
        -metadata artist="$artist" -metadata album="$album" -metadata title="$title" -metadata genre="$tag" "$out"
    if [ "$half" = untagged ]; then printf '%s\t%s\n' "$(basename "$out")" "$genre" >> "$work/truth.tsv"; fi
done
echo "tagged: $(ls "$work/library/tagged" | wc -l) tracks; untagged: $(ls "$work/library/untagged" | wc -l) tracks"
/usr/bin/time -f "learn: %e s, peak RSS %M kB" java -jar "$jar" learn "$work/library" --out "$work/model" --min-tracks 5
java -jar "$jar" classify --json --model "$work/model" "$work/library/untagged"/* > "$work/untagged.jsonl"
python3 - "$work" <<'PY'
import json, sys, os, collections
work = sys.argv[1]
truth = dict(l.rstrip('\n').split('\t') for l in open(os.path.join(work, 'truth.tsv')))
cfg = json.load(open(os.path.join(work, 'model', 'config.json')))
threshold = cfg.get('defaultMinConfidence', 0)
right = total = written = written_right = 0
per = collections.defaultdict(lambda: [0, 0])
for line in open(os.path.join(work, 'untagged.jsonl')):
    r = json.loads(line)
    name = os.path.basename(r['file'])
    if name not in truth or not r.get('genres'):
        continue
    top = r['genres'][0]
    ok = top['genre'].lower() == truth[name].lower()
    total += 1; right += ok
    per[truth[name]][0] += 1; per[truth[name]][1] += ok
    if top['probability'] >= threshold:
        written += 1; written_right += ok
print(f"untagged half: {right}/{total} = {right/total:.3f} right (top genre)")
for g, (n, k) in sorted(per.items()):
    print(f"  {g}: {k}/{n} = {k/n:.2f}")
print(f"at the learned threshold {threshold:.2f}: {written} written, {written_right/max(1,written):.3f} right, {written/total:.2f} tagged")
PY
