#!/usr/bin/env bash
# Installs what the product or its tests need from the OS when it is missing (Debian/Ubuntu).
#   eng/install-dependencies.sh run    ffmpeg (recording, exports, the demo camera), and what the build of the thumbnails'
#                                      key-frame decoder and of the remuxer recording engine (footage-recorder) needs: a C
#                                      compiler, pkg-config, libavformat, libavcodec, libswscale and libseccomp with their headers
#   eng/install-dependencies.sh test   also PostgreSQL, Redis, GStreamer's RTSP server, Node.js and npm, Chromium (UI tests),
#                                      libfaketime (the fault suite steps the recorder's wall clock with it),
#                                      Ceph's RADOS Gateway with a monitor and an OSD (the tests' real S3 server)
set -euo pipefail
mode="${1:-run}"
packages=()
command -v ffmpeg >/dev/null 2>&1 || packages+=(ffmpeg)
command -v cc >/dev/null 2>&1 || packages+=(gcc libc6-dev)
command -v pkg-config >/dev/null 2>&1 || packages+=(pkg-config)
pkg-config --exists libavcodec libswscale libavutil 2>/dev/null || packages+=(libavcodec-dev libswscale-dev)
pkg-config --exists libavformat 2>/dev/null || packages+=(libavformat-dev)
pkg-config --exists libseccomp 2>/dev/null || packages+=(libseccomp-dev)
if [ "$mode" = "test" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  ls /usr/lib/*/faketime/libfaketimeMT.so.1 >/dev/null 2>&1 || packages+=(faketime)
  for ceph in radosgw ceph-mon ceph-osd; do command -v "$ceph" >/dev/null 2>&1 || { packages+=(radosgw ceph-mon ceph-osd); break; }; done
  # the evidence tests check the verification a recipient does without our tool: unzip, openssl, sha256sum (coreutils)
  command -v unzip >/dev/null 2>&1 || packages+=(unzip)
  command -v openssl >/dev/null 2>&1 || packages+=(openssl)
  /usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer", "1.0"); from gi.repository import GstRtspServer' >/dev/null 2>&1 \
    || packages+=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad gstreamer1.0-tools)
  # the simulator draws the time on every camera's picture with clockoverlay (Pango), packaged apart from the base plugins
  command -v gst-inspect-1.0 >/dev/null 2>&1 && gst-inspect-1.0 clockoverlay >/dev/null 2>&1 || packages+=(gstreamer1.0-x gstreamer1.0-tools)
fi
if [ "${#packages[@]}" -gt 0 ]; then
  echo "Installing: ${packages[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
