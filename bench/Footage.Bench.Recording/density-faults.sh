#!/usr/bin/env bash
# What a failing camera does to the others when several cameras share one recording process (issue 24, docs/recording.md
# "Cameras per recording process"): one ffmpeg with 3 inputs and 3 segment outputs, and one gst-launch-1.0 with 3
# rtspsrc ! rtph264depay ! h264parse ! splitmuxsink chains. For each: (1) the third camera is dead when the process starts;
# (2) it dies while recording (its RTSP server stopped): do the other two go on, does the process live, and (3) when the
# camera comes back, is it recorded again without a restart?
#   bench/Footage.Bench.Recording/density-faults.sh
# Needs ffmpeg, gst-launch-1.0 and the system python3 with GStreamer's RTSP server (eng/install-dependencies.sh test).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
simulator="$here/../../tests/tools/camera-simulator.py"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_simulator() { # port cameras log
  /usr/bin/python3 "$simulator" --port "$1" --cameras "$2" --width 640 --height 360 --bitrate 1000 > "$3" 2>&1 &
  echo $!
  for _ in $(seq 60); do grep -q ready "$3" && return 0; sleep 0.5; done
  echo "simulator on $1 did not start" >&2; exit 1
}
bytes() { du -sb "$1" | cut -f1; }
start_design() { # design folder url1 url2 url3
  local design=$1 out=$2; shift 2
  mkdir -p "$out/1" "$out/2" "$out/3"
  if [ "$design" = ffmpeg ]; then
    local args=(-hide_banner -loglevel error)
    for u in "$@"; do args+=(-rtsp_transport tcp -timeout 5000000 -i "$u"); done
    for i in 0 1 2; do args+=(-map "$i:v" -c copy -f segment -segment_time 4 -segment_format mpegts -segment_format_options flush_packets=1 -reset_timestamps 1 "$out/$((i + 1))/%05d.ts"); done
    ffmpeg "${args[@]}" > "$out/log" 2>&1 &
  else
    local args=() i=1
    for u in "$@"; do args+=(rtspsrc "location=$u" protocols=tcp latency=200 ! rtph264depay ! h264parse ! splitmuxsink muxer-factory=mpegtsmux "location=$out/$i/%05d.ts" max-size-time=4000000000); i=$((i + 1)); done
    gst-launch-1.0 "${args[@]}" > "$out/log" 2>&1 &
  fi
  echo $!
}
alive() { kill -0 "$1" 2>/dev/null && echo "alive" || echo "ended"; }

port_a=$(port); port_b=$(port); port_dead=$(port)
sim_a=$(start_simulator "$port_a" 2 "$work/sim-a.log"); pids+=("$sim_a")
echo "| design | third camera | process after 20 s | cameras 1 and 2 | third camera back |"
echo "|---|---|---|---|---|"
for design in ffmpeg gstreamer; do
  # (1) dead at the start
  out="$work/$design-dead"; p=$(start_design "$design" "$out" "rtsp://127.0.0.1:$port_a/cam1" "rtsp://127.0.0.1:$port_a/cam2" "rtsp://127.0.0.1:$port_dead/cam1"); pids+=("$p")
  sleep 20
  echo "| $design | dead at the start | $(alive "$p") | $(bytes "$out/1") and $(bytes "$out/2") bytes written | - |"
  kill "$p" 2>/dev/null || true

  # (2) dies while recording, (3) comes back
  sim_b=$(start_simulator "$port_b" 1 "$work/sim-b.log"); pids+=("$sim_b")
  out="$work/$design-dies"; p=$(start_design "$design" "$out" "rtsp://127.0.0.1:$port_a/cam1" "rtsp://127.0.0.1:$port_a/cam2" "rtsp://127.0.0.1:$port_b/cam1"); pids+=("$p")
  sleep 15
  kill "$sim_b"; wait "$sim_b" 2>/dev/null || true
  b1=$(bytes "$out/1"); b2=$(bytes "$out/2"); stalled=0
  for _ in $(seq 10); do
    sleep 2
    n1=$(bytes "$out/1"); n2=$(bytes "$out/2")
    if [ "$n1" -le "$b1" ] || [ "$n2" -le "$b2" ]; then stalled=$((stalled + 1)); fi
    b1=$n1; b2=$n2
  done
  state=$(alive "$p")
  # what the dead camera's chain flushed when its connection closed is not a return
  b3=$(bytes "$out/3")
  sim_b=$(start_simulator "$port_b" 1 "$work/sim-b.log"); pids+=("$sim_b")
  sleep 20
  back=$([ "$(bytes "$out/3")" -gt "$b3" ] && echo "recorded again" || echo "not recorded until the process restarts")
  echo "| $design | dies after 15 s | $state | kept growing in $((10 - stalled)) of 10 looks 2 s apart | $back |"
  kill "$p" "$sim_b" 2>/dev/null || true
done
