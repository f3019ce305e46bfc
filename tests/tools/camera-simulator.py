#!/usr/bin/python3
"""Camera simulator: GStreamer's RTSP server serving live test cameras of many kinds on 127.0.0.1.

    camera-simulator.py --port 8554 --cameras 3 [--width 640 --height 360 --bitrate 1000]
    camera-simulator.py --port 8554 --camera '{"codec": "h265"}' --camera '{"audio": "pcmu", "gop": 4}'

Serves rtsp://127.0.0.1:PORT/cam1 ... /camN over TCP and UDP (--protocols to allow one only), with RTSP digest
authentication when --user and --password are given. Without --camera, every path is a live videotestsrc encoded by
x264 with a key frame every second. Each --camera (a JSON object) adds a path of its own kind:

    codec            "h264" (default) or "h265"
    fps              "25" (default), "12.5", "15", "30": frames a second
    gop              seconds between key frames (1); "keyframes" instead: seconds of the stream at which the only key
                     frames are forced, as a camera that sends one on motion only (the list repeats)
    bframes          B-frames between references (H.264; 0)
    vfr              true: a quarter of the frames dropped at random, so frame times vary (variable frame rate)
    resize_every     seconds: the picture alternates between its size and 3/4 of it, each switch a new SPS
    audio            "none" (default), "aac" (16 kHz), "pcmu" or "pcma" (G.711, 8 kHz). With audio the picture is the
                     audio's waveform (a 200 ms beep at every whole second of the stream): each beep is seen and heard at
                     once, so the A/V offset of a recording can be measured
    rtp_timestamp    the first RTP timestamp of the video (e.g. near 2^32, so that it wraps within seconds)
    jump_every, jump_seconds   every jump_every s the video's RTP timestamps jump by jump_seconds (may be negative),
                     as from a camera whose clock is stepped
    width, height, bitrate     as the options below, for this path

A path's pipeline is shared by its readers. Prints "ready" on stdout once listening; stops on SIGTERM or SIGINT.
"""
import argparse
import json
import signal
import struct
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer, GstVideo  # noqa: E402

FPS = {"25": "25/1", "12.5": "25/2", "15": "15/1", "30": "30/1"}


def video_encoder(kind, rate, name="enc"):
    fps = eval(rate)  # noqa: S307 - a fraction of our own table
    codec = kind.get("codec", "h264")
    gop = int(round(float(kind.get("gop", 1)) * fps)) if "keyframes" not in kind else 100000
    bitrate = kind.get("bitrate")
    if codec == "h265":
        return (f"x265enc name={name} tune=zerolatency speed-preset=ultrafast bitrate={bitrate} key-int-max={gop} ! "
                f"video/x-h265,profile=main ! h265parse ! rtph265pay name=pay0 pt=96 config-interval=1")
    bframes = int(kind.get("bframes", 0))
    # zerolatency and ultrafast both turn B-frames off: a B-frame camera is encoded a little slower
    tuning = (f"speed-preset=superfast bframes={bframes} b-adapt=false" if bframes
              else "tune=zerolatency speed-preset=ultrafast")
    profile = " ! video/x-h264,profile=main" if bframes else ""
    # no scene-cut key frames: a camera of a set GOP sends a key frame at that interval only (the test pictures include noise)
    scenecut = ' option-string="scenecut=0"' if "gop" in kind or "keyframes" in kind else ""
    return (f"x264enc name={name} {tuning} bitrate={bitrate} key-int-max={gop}{scenecut}{profile} ! "
            f"rtph264pay name=pay0 pt=96 config-interval=1")


def audio_branch(kind):
    audio = kind.get("audio", "none")
    if audio == "aac":
        return "audioresample ! audio/x-raw,rate=16000 ! voaacenc bitrate=32000 ! aacparse ! rtpmp4gpay name=pay1 pt=97"
    if audio == "pcmu":
        return "mulawenc ! rtppcmupay name=pay1"
    if audio == "pcma":
        return "alawenc ! rtppcmapay name=pay1"
    raise ValueError(f"unknown audio {audio!r}")


def pipeline(kind, n, args):
    kind = {"width": args.width, "height": args.height, "bitrate": args.bitrate, **kind}
    width, height = int(kind["width"]), int(kind["height"])
    rate = FPS[str(kind.get("fps", args.fps))]
    size = f"video/x-raw,width={width},height={height}"
    timestamp = f" timestamp-offset={int(kind['rtp_timestamp'])}" if "rtp_timestamp" in kind else ""
    encoder = video_encoder(kind, rate).replace("name=pay0", "name=pay0" + timestamp)
    drop = " ! identity drop-probability=0.25" if kind.get("vfr") else ""
    resize = f" ! videoscale ! capsfilter name=size caps={size}" if kind.get("resize_every") else ""
    if kind.get("audio", "none") != "none":
        # one source for both: the picture draws the sound, so each beep shows in the frames that carry it
        return (
            f"( audiotestsrc is-live=true samplesperbuffer=160 wave=ticks freq=440 sine-periods-per-tick=88 volume=0.8 ! "
            f"audio/x-raw,rate=8000,channels=1,format=S16LE ! tee name=t "
            f"t. ! queue ! audioconvert ! wavescope style=lines ! video/x-raw,width={width},height={height} ! "
            f"videorate ! video/x-raw,framerate={rate} ! videoconvert{drop}{resize} ! {encoder} "
            f"t. ! queue ! audioconvert ! {audio_branch(kind)} )"
        )
    return (
        f"( videotestsrc is-live=true pattern={n % 20} ! video/x-raw,width={width},height={height},framerate={rate} ! "
        f"clockoverlay{drop}{resize} ! {encoder} )"
    )


def keep_changing(kind, media):
    """What a camera does on its own as it streams: resize, key frames on motion, timestamp jumps."""
    element = media.get_element()
    started = GLib.get_monotonic_time()

    def elapsed():
        return (GLib.get_monotonic_time() - started) / 1e6

    if kind.get("resize_every"):
        size = element.get_by_name("size")
        base = (int(kind["width"]), int(kind["height"]))
        state = {"small": False}

        def resize():
            state["small"] = not state["small"]
            w, h = (base[0] * 3 // 4 // 2 * 2, base[1] * 3 // 4 // 2 * 2) if state["small"] else base
            size.set_property("caps", Gst.Caps.from_string(f"video/x-raw,width={w},height={h}"))
            return True

        GLib.timeout_add(int(float(kind["resize_every"]) * 1000), resize)

    if kind.get("keyframes"):
        encoder = element.get_by_name("enc")
        moments = [float(s) for s in kind["keyframes"]]
        cycle = max(moments)
        state = {"next": 0}

        def force():
            event = GstVideo.video_event_new_downstream_force_key_unit(
                Gst.CLOCK_TIME_NONE, Gst.CLOCK_TIME_NONE, Gst.CLOCK_TIME_NONE, True, 0)
            encoder.get_static_pad("sink").send_event(event)
            schedule()
            return False

        def schedule():
            i = state["next"]
            state["next"] += 1
            at = (i // len(moments)) * cycle + moments[i % len(moments)]
            GLib.timeout_add(max(1, int((at - elapsed()) * 1000)), force)

        schedule()

    if kind.get("jump_every"):
        pay = element.get_by_name("pay0")
        every = float(kind["jump_every"])

        def jump(pad, info):
            # rewrite the RTP timestamp in the packet as a camera whose clock was stepped sends it
            jumps = int(elapsed() // every)
            if jumps == 0:
                return Gst.PadProbeReturn.OK
            offset = int(jumps * float(kind["jump_seconds"]) * 90000)
            buffer = info.get_buffer()
            ok, mapped = buffer.map(Gst.MapFlags.READ)
            data = bytearray(mapped.data)
            buffer.unmap(mapped)
            (timestamp,) = struct.unpack_from(">I", data, 4)
            struct.pack_into(">I", data, 4, (timestamp + offset) & 0xFFFFFFFF)
            rewritten = Gst.Buffer.new_wrapped(bytes(data))
            rewritten.pts, rewritten.dts, rewritten.duration = buffer.pts, buffer.dts, buffer.duration
            pad.get_peer().chain(rewritten)
            return Gst.PadProbeReturn.DROP

        pay.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, jump)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--cameras", type=int, default=1, help="test cameras of the default kind (when no --camera is given)")
    parser.add_argument("--camera", action="append", default=[], help="a camera of its own kind, as a JSON object (see above)")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--fps", default="25")
    parser.add_argument("--bitrate", type=int, default=1000, help="kbit/s")
    parser.add_argument("--protocols", choices=["all", "tcp", "udp"], default="all", help="the RTSP lower transports allowed")
    parser.add_argument("--user", help="with --password: RTSP digest authentication on every path")
    parser.add_argument("--password")
    parser.add_argument("--clip", help="serve this H.264 MPEG-TS file in real time instead of encoding (cheap: for load tests)")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    # a bigger pool, or one reader's DESCRIBE can stall another path's publisher
    server.get_thread_pool().set_max_threads(256)
    if args.user:
        auth = GstRtspServer.RTSPAuth()
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "camera-user")
        auth.add_digest(args.user, args.password, token)
        server.set_auth(auth)

    kinds = [json.loads(c) for c in args.camera] or [{} for _ in range(args.cameras)]
    protocols = {"all": GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP,
                 "tcp": GstRtsp.RTSPLowerTrans.TCP, "udp": GstRtsp.RTSPLowerTrans.UDP}[args.protocols]
    mounts = server.get_mount_points()
    for n, kind in enumerate(kinds, start=1):
        launch = (
            f"( filesrc location={args.clip} ! tsdemux ! h264parse ! identity sync=true ! "
            f"rtph264pay name=pay0 pt=96 config-interval=1 )"
        ) if args.clip else pipeline(kind, n, args)
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch)
        factory.set_shared(True)
        factory.set_protocols(protocols)
        if args.user:
            factory.add_role_from_structure(Gst.Structure.from_string(
                "camera-user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")[0])
        if any(k in kind for k in ("resize_every", "keyframes", "jump_every")):
            factory.connect("media-configure", lambda _f, media, k={**kind, "width": kind.get("width", args.width),
                                                                    "height": kind.get("height", args.height)}: keep_changing(k, media))
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
