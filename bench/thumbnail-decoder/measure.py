#!/usr/bin/env python3
"""CPU and memory of a thumbnail: the key-frame decoder process against an ffmpeg process per picture.

    python3 bench/thumbnail-decoder/measure.py [path/to/footage-keyframe-decoder] [pictures]

Makes a 1280x720 H.264 key frame at 2 Mbit/s (the recorder bench's camera) with ffmpeg, sends it to one long-lived
footage-keyframe-decoder (built with the server: src/Footage.Server/bin/Release/net10.0/) as the recorder does and
reads the CPU the process spent from /proc, then runs the recorder's fallback (an ffmpeg process on one GOP) on the
same picture. Both are measured in the same run, so the ratio holds on a busy machine while the absolute figures do not.
"""
import os
import resource
import struct
import subprocess
import sys
import tempfile

decoder = sys.argv[1] if len(sys.argv) > 1 else 'src/Footage.Server/bin/Release/net10.0/footage-keyframe-decoder'
pictures = int(sys.argv[2]) if len(sys.argv) > 2 else 200
work = tempfile.mkdtemp(prefix='thumbnail-bench-')
quiet = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error']
gop = os.path.join(work, 'gop.ts')
subprocess.run(['ffmpeg', *quiet, '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-t', '2', '-c:v', 'libx264', '-preset', 'veryfast',
                '-b:v', '2M', '-g', '50', '-f', 'mpegts', gop], check=True)
raw = os.path.join(work, 'key.h264')
subprocess.run(['ffmpeg', *quiet, '-i', gop, '-c', 'copy', '-frames:v', '1', '-bsf:v', 'h264_mp4toannexb', '-f', 'h264', raw], check=True)
unit = open(raw, 'rb').read()

process = subprocess.Popen([decoder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={})


def picture():
    process.stdin.write(struct.pack('<III', 1, 5, len(unit)) + unit)
    process.stdin.flush()
    status, length = struct.unpack('<II', process.stdout.read(8))
    answer = process.stdout.read(length)
    assert status == 0, answer


def cpu_seconds():
    fields = open(f'/proc/{process.pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


picture()  # the first picture starts the decoder: not measured
before = cpu_seconds()
for _ in range(pictures):
    picture()
decoder_ms = (cpu_seconds() - before) * 1000 / pictures
memory = {line.split(':')[0]: int(line.split()[1]) for line in open(f'/proc/{process.pid}/smaps_rollup') if line.startswith(('Rss:', 'Pss:'))}
process.stdin.close()
process.wait()

runs = max(10, pictures // 10)
start = resource.getrusage(resource.RUSAGE_CHILDREN)
for _ in range(runs):
    subprocess.run(['ffmpeg', *quiet, '-threads', '1', '-f', 'mpegts', '-i', gop, '-frames:v', '1', '-q:v', '5', '-f', 'image2',
                    os.path.join(work, 'ffmpeg.jpg')], check=True)
end = resource.getrusage(resource.RUSAGE_CHILDREN)
ffmpeg_ms = ((end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)) * 1000 / runs
print(f'key-frame decoder process: {decoder_ms:.1f} ms of CPU per 720p picture ({pictures} pictures); '
      f'RSS {memory["Rss"] / 1024:.1f} MB, PSS {memory["Pss"] / 1024:.1f} MB (one per recorder process)')
print(f'ffmpeg process per picture: {ffmpeg_ms:.1f} ms of CPU per 720p picture ({runs} runs)')
print(f'ratio: {decoder_ms / ffmpeg_ms:.3f}')
