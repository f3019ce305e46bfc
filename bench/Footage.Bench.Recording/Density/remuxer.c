/*
 * A minimal recorder for the density bench (issue 24): what a recording process costs when it links only libavformat
 * (and what that pulls in: libavcodec, libavutil), not the ffmpeg program's libavfilter, libavdevice and their libraries.
 * Each camera: RTSP over TCP, its video and audio copied into the segment muxer (MPEG-TS segments of the given length,
 * timestamps reset per segment), as the spec's command does; no transcoding, no progress report, no restart.
 *
 *   remuxer SEGMENT_SECONDS FOLDER URL [FOLDER URL ...]
 *
 * With one camera it records it. With several it loads the libraries once and forks a child per camera: each camera keeps
 * a process of its own (a crash or a dead camera ends that child only), while the pages the dynamic linker wrote when it
 * relocated the libraries stay shared with the parent (copy on write) instead of being private to every process.
 * Run it with LD_BIND_NOW=1 so that every symbol is bound before the fork and no child writes its own copy of a GOT page.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libavformat/avformat.h>
#include <libavutil/log.h>
#include <libavutil/time.h>

static volatile sig_atomic_t stopping;

static void on_signal(int signal_number)
{
    (void)signal_number;
    stopping = 1;
}

static int interrupted(void *opaque)
{
    (void)opaque;
    return stopping;
}

static int record(const char *segment_seconds, const char *folder, const char *url)
{
    AVFormatContext *in = avformat_alloc_context();
    AVFormatContext *out = NULL;
    AVDictionary *input_options = NULL;
    AVDictionary *segment_options = NULL;
    AVPacket *packet = av_packet_alloc();
    int *mapped = NULL;
    int64_t *last_dts = NULL;
    int result = 1;
    char pattern[4096];

    in->interrupt_callback.callback = interrupted;
    av_dict_set(&input_options, "rtsp_transport", "tcp", 0);
    if (avformat_open_input(&in, url, NULL, &input_options) < 0 || avformat_find_stream_info(in, NULL) < 0) {
        fprintf(stderr, "cannot read %s\n", url);
        goto done;
    }

    snprintf(pattern, sizeof pattern, "%s/%%05d.ts", folder);
    if (avformat_alloc_output_context2(&out, NULL, "segment", pattern) < 0) {
        goto done;
    }

    mapped = calloc(in->nb_streams, sizeof *mapped);
    last_dts = calloc(in->nb_streams, sizeof *last_dts);
    for (unsigned i = 0, next = 0; i < in->nb_streams; i++) {
        enum AVMediaType type = in->streams[i]->codecpar->codec_type;
        mapped[i] = -1;
        last_dts[i] = AV_NOPTS_VALUE;
        if (type == AVMEDIA_TYPE_VIDEO || type == AVMEDIA_TYPE_AUDIO) {
            AVStream *stream = avformat_new_stream(out, NULL);
            avcodec_parameters_copy(stream->codecpar, in->streams[i]->codecpar);
            stream->codecpar->codec_tag = 0;
            stream->time_base = in->streams[i]->time_base;
            mapped[i] = (int)next++;
        }
    }

    av_dict_set(&segment_options, "segment_time", segment_seconds, 0);
    av_dict_set(&segment_options, "segment_format", "mpegts", 0);
    av_dict_set(&segment_options, "reset_timestamps", "1", 0);
    if (avformat_write_header(out, &segment_options) < 0) {
        goto done;
    }

    while (!stopping) {
        int read = av_read_frame(in, packet);
        if (read == AVERROR(EAGAIN)) {
            av_usleep(10000);
            continue;
        }

        if (read < 0) {
            fprintf(stderr, "%s: read ended: %s\n", url, av_err2str(read));
            break;
        }

        int index = mapped[packet->stream_index];
        /* the RTSP reader gives the first picture of a session no timestamp (docs/recording.md, "The first frame of a run"):
           where the ffmpeg program makes one up, this starts at the next packet that has one */
        if (index < 0 || packet->dts == AV_NOPTS_VALUE || packet->pts == AV_NOPTS_VALUE
            || (last_dts[packet->stream_index] != AV_NOPTS_VALUE && packet->dts <= last_dts[packet->stream_index])) {
            av_packet_unref(packet);
            continue;
        }

        last_dts[packet->stream_index] = packet->dts;
        av_packet_rescale_ts(packet, in->streams[packet->stream_index]->time_base, out->streams[index]->time_base);
        packet->stream_index = index;
        packet->pos = -1;
        int written = av_interleaved_write_frame(out, packet);
        if (written < 0) {
            fprintf(stderr, "%s: write failed: %s\n", url, av_err2str(written));
            break;
        }
    }

    av_write_trailer(out);
    result = 0;

done:
    av_packet_free(&packet);
    av_dict_free(&input_options);
    av_dict_free(&segment_options);
    free(mapped);
    free(last_dts);
    if (out != NULL) {
        avformat_free_context(out);
    }

    avformat_close_input(&in);
    return result;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (argc - 2) % 2 != 0) {
        fprintf(stderr, "usage: %s SEGMENT_SECONDS FOLDER URL [FOLDER URL ...]\n", argv[0]);
        return 2;
    }

    /* no SA_RESTART: a signal ends the parent's wait, which then passes it on to the children */
    struct sigaction action = { .sa_handler = on_signal };
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    av_log_set_level(AV_LOG_ERROR);
    avformat_network_init();
    int cameras = (argc - 2) / 2;
    if (cameras == 1) {
        return record(argv[1], argv[2], argv[3]);
    }

    pid_t *children = calloc((size_t)cameras, sizeof *children);
    for (int i = 0; i < cameras; i++) {
        children[i] = fork();
        if (children[i] == 0) {
            return record(argv[1], argv[2 + 2 * i], argv[3 + 2 * i]);
        }
    }

    int passed_on = 0;
    for (;;) {
        if (wait(NULL) > 0) {
            continue;
        }

        if (errno != EINTR) {
            break;
        }

        if (stopping && !passed_on) {
            passed_on = 1;
            for (int i = 0; i < cameras; i++) {
                if (children[i] > 0) {
                    kill(children[i], SIGTERM);
                }
            }
        }
    }

    free(children);
    return 0;
}
