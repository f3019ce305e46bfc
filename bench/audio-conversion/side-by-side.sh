#!/usr/bin/env bash
# The CPU cost of a camera's G.711 sound made AAC (the only re-encode in the recording path), measured as two groups of
# recorders running at the same time on the same machine, so that the machine's drift cancels: N ffmpeg record a camera's
# 720p25 2 Mbit/s H.264 with 8 kHz G.711 u-law sound as the recorder does (video copied, sound to AAC 32 kbit/s), N record
# the same without the sound (video copied only); after a 10 s warm-up the CPU ticks of each group are counted.
#   bench/audio-conversion/side-by-side.sh [seconds=60] [N=10]
# The cameras are a Matroska file read in real time (-re): the RTSP reading that both groups share is left out, so the
# difference is the decoding of G.711, the AAC encoder and the muxing of the sound.
set -euo pipefail
secs=${1:-60}; n=${2:-10}
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=25 -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=8000" \
  -t 60 -c:v libx264 -preset ultrafast -b:v 2M -maxrate 2M -bufsize 2M -g 25 -keyint_min 25 -sc_threshold 0 -pix_fmt yuv420p \
  -c:a pcm_mulaw -f matroska "$work/loop.mkv"
ffmpeg -hide_banner -loglevel error -y -stream_loop $(( (secs + 30) / 60 + 1 )) -i "$work/loop.mkv" -c copy -f matroska "$work/clip.mkv"
converting=(); silent=()
for i in $(seq 1 $((2 * n))); do
  mkdir -p "$work/$i"
  if (( i % 2 == 0 )); then sound=(-map 0:a -c:a aac -b:a 32k); else sound=(); fi
  (cd "$work/$i" && exec ffmpeg -hide_banner -loglevel error -nostdin -re -i "$work/clip.mkv" -map 0:v -c:v copy "${sound[@]}" \
     -f segment -segment_time 60 -segment_format mpegts -reset_timestamps 1 %06d.ts > /dev/null 2>&1 < /dev/null) &
  if (( i % 2 == 0 )); then converting+=($!); else silent+=($!); fi
done
ticks() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{ print $14 + $15 }' "/proc/$p/stat") )); done; echo $t; }
sleep 10
a0=$(ticks "${converting[@]}"); b0=$(ticks "${silent[@]}")
sleep "$secs"
a1=$(ticks "${converting[@]}"); b1=$(ticks "${silent[@]}")
hz=$(getconf CLK_TCK)
# a group whose files stopped growing fell behind real time: its figure would be too low
for i in $(seq 1 $((2 * n))); do
  [ -n "$(ls "$work/$i" 2>/dev/null)" ] || { echo "recorder $i wrote nothing" >&2; exit 1; }
done
python3 -c "
a, b, s, hz, n = $a1 - $a0, $b1 - $b0, $secs, $hz, $n
per_a = a / hz / s / n * 100
per_b = b / hz / s / n * 100
print(f'{n} cameras each, {s} s: video copied + G.711 made AAC {per_a:.3f} % of a core per camera, video copied only {per_b:.3f} %')
print(f'the conversion costs {per_a - per_b:.3f} % of a core per camera ({per_a / per_b:.2f} x the copy); 500 cameras: {5 * (per_a - per_b):.2f} cores')
"
