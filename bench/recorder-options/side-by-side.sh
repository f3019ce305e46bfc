#!/usr/bin/env bash
# Two sets of ffmpeg output options measured at the same time on the same machine, so that the machine's drift
# between runs cancels: the camera simulator serves 2N 720p25 2 Mbit/s streams, N ffmpeg record with options A and N
# with options B (alternating cameras), and after a 20 s warm-up the CPU ticks of each group are counted.
#   bench/recorder-options/side-by-side.sh [seconds=90] [N=25] "A options" "B options"
# e.g. "" "-segment_format_options flush_packets=1" (the recorder's FlushEveryPacket); run it twice with A and B
# swapped, and once with A = B to see the noise.
set -euo pipefail
secs=${1:-90}; n=${2:-25}; a=${3:-}; b=${4:-}
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=25 -t 60 -c:v libx264 -preset ultrafast \
  -b:v 2M -maxrate 2M -bufsize 2M -g 25 -keyint_min 25 -sc_threshold 0 -pix_fmt yuv420p -f mpegts "$work/loop.ts"
ffmpeg -hide_banner -loglevel error -y -stream_loop $(( (secs + 60) / 60 + 1 )) -i "$work/loop.ts" -c copy -f mpegts "$work/clip.ts"
# the system's python3: GStreamer's bindings are installed for it
/usr/bin/python3 "$root/tests/tools/camera-simulator.py" --port "$port" --cameras $((2 * n)) --clip "$work/clip.ts" > "$work/simulator.log" 2>&1 &
simulator=$!
until grep -q ready "$work/simulator.log" 2>/dev/null; do
  kill -0 $simulator 2>/dev/null || { echo "the camera simulator did not start:" >&2; cat "$work/simulator.log" >&2; exit 1; }
  sleep 0.5
done
group_a=(); group_b=()
for i in $(seq 1 $((2 * n))); do
  mkdir -p "$work/$i"
  if (( i % 2 == 0 )); then options=$a; else options=$b; fi
  # shellcheck disable=SC2086 # the options are a word list
  (cd "$work/$i" && exec ffmpeg -hide_banner -loglevel warning -nostdin -rtsp_transport tcp -i "rtsp://127.0.0.1:$port/cam$i" \
     -map 0:v -c copy -f segment -segment_time 60 -segment_format mpegts -reset_timestamps 1 $options %06d.ts > /dev/null 2>&1 < /dev/null) &
  if (( i % 2 == 0 )); then group_a+=($!); else group_b+=($!); fi
done
ticks() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{ print $14 + $15 }' "/proc/$p/stat") )); done; echo $t; }
sleep 20
a0=$(ticks "${group_a[@]}"); b0=$(ticks "${group_b[@]}")
sleep "$secs"
a1=$(ticks "${group_a[@]}"); b1=$(ticks "${group_b[@]}")
hz=$(getconf CLK_TCK)
python3 -c "
a, b, s, hz, n = $a1 - $a0, $b1 - $b0, $secs, $hz, $n
print(f'A ({\"$a\" or \"spec command\"}): {100 * a / hz / s:.2f} % of a core for {n}')
print(f'B ({\"$b\" or \"spec command\"}): {100 * b / hz / s:.2f} % of a core for {n}')
print(f'B / A = {b / a:.3f}')"
