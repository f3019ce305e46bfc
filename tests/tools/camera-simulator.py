#!/usr/bin/python3
"""Camera simulator: GStreamer's RTSP server serving N live H.264 test cameras on 127.0.0.1.

    camera-simulator.py --port 8554 --cameras 3 [--width 640 --height 360 --bitrate 1000]

Serves rtsp://127.0.0.1:PORT/cam1 ... /camN over TCP and UDP. Each path is a live videotestsrc encoded by
x264 with a key frame every 25 frames (one per second at 25 fps); a path's pipeline is shared by its
readers. Prints "ready" on stdout once listening; stops on SIGTERM or SIGINT.
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--cameras", type=int, default=1)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--bitrate", type=int, default=1000, help="kbit/s")
    parser.add_argument("--clip", help="serve this H.264 MPEG-TS file in real time instead of encoding (cheap: for load tests)")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    # a bigger pool, or one reader's DESCRIBE can stall another path's publisher
    server.get_thread_pool().set_max_threads(256)
    mounts = server.get_mount_points()
    for n in range(1, args.cameras + 1):
        pipeline = (
            f"( filesrc location={args.clip} ! tsdemux ! h264parse ! identity sync=true ! "
            f"rtph264pay name=pay0 pt=96 config-interval=1 )"
        ) if args.clip else (
            f"( videotestsrc is-live=true pattern={n % 20} ! "
            f"video/x-raw,width={args.width},height={args.height},framerate={args.fps}/1 ! "
            f"clockoverlay ! x264enc tune=zerolatency speed-preset=ultrafast bitrate={args.bitrate} "
            f"key-int-max={args.fps} ! rtph264pay name=pay0 pt=96 config-interval=1 )"
        )
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(pipeline)
        factory.set_shared(True)
        mounts.add_factory(f"/cam{n}", factory)

    if server.attach(None) == 0:
        print(f"could not listen on 127.0.0.1:{args.port}", file=sys.stderr)
        return 1

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print("ready", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
