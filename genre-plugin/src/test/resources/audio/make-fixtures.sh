#!/usr/bin/env bash
# Regenerates the synthetic decoding fixtures with Debian's ffmpeg (apt-get install ffmpeg).
# 3 s of two tones (220 Hz left, 330 Hz right) over pink noise, 44.1 kHz stereo, in every
# format the plugin decodes; plus a 22.05 kHz mono WAV. Not GTZAN audio.
set -euo pipefail
cd "$(dirname "$0")"
src=$(mktemp --suffix=.wav)
ffmpeg -v error -y -f lavfi -i "sine=frequency=220:duration=3:sample_rate=44100" \
  -f lavfi -i "sine=frequency=330:duration=3:sample_rate=44100" \
  -f lavfi -i "anoisesrc=d=3:c=pink:r=44100:a=0.05" \
  -filter_complex "[0][1]amerge=inputs=2,volume=0.4[s];[s][2]amix=inputs=2:normalize=0,aformat=channel_layouts=stereo" \
  -c:a pcm_s16le "$src"
enc() { ffmpeg -v error -y -i "$src" "$@"; }
enc -c:a pcm_s16le tone.wav
enc -c:a libmp3lame -b:a 64k tone.mp3
enc -c:a flac tone.flac
enc -c:a libvorbis -q:a 2 tone.ogg
enc -c:a libopus -b:a 48k tone.opus
enc -c:a aac -b:a 64k tone.m4a
enc -c:a alac tone-alac.m4a
enc -c:a pcm_s16be tone.aiff
enc -c:a pcm_s16be -f au tone.au
enc -c:a wmav2 -b:a 64k tone.wma
enc -ac 1 -ar 22050 -c:a pcm_s16le tone-22k-mono.wav
# Album fields in an Opus comment header (which Jaudiotagger cannot write), for --by album.
ffmpeg -v error -y -i tone.opus -c copy -map_metadata -1 -metadata ARTIST="Opus Artist" -metadata ALBUMARTIST="Various Artists" \
  -metadata ALBUM="Opus Album" -metadata COMPILATION=1 -metadata GENRE=Jazz album-tags.opus
rm -f "$src"
