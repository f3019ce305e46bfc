/*
 * footage-recorder: records one camera as the recorder's ffmpeg command does, linking only libavformat, libavcodec and
 * libavutil (the ffmpeg program also loads libavfilter, libavdevice and the two hundred libraries they pull in, whose
 * relocated data is private memory in every recording process: docs/recording.md, "Cameras per recording process").
 *
 *   footage-recorder --segment-time S --list RUN.csv --pattern RUN-%06d.ts [--flush-packets] [--transport tcp|udp]
 *                    [--protocol-whitelist tcp,tls] [--timeout MICROSECONDS] [--audio copy|aac|none] [--aac-bitrate BPS|Nk]
 *                    [--stats-period SECONDS] [--camera ID] URL
 *
 * What the supervisor (CameraRecorder) reads of it is what it reads of ffmpeg:
 * - the segment muxer of libavformat, with the options of the ffmpeg command: MPEG-TS segments cut at the first key frame
 *   after S seconds, timestamps reset per segment, each closed file listed in RUN.csv as it closes (+live);
 * - progress reports on stdout as ffmpeg's -progress writes them (out_time_us=..., then progress=continue), at most every
 *   --stats-period seconds and only when a packet was muxed, so a camera that stalls shows as silence;
 * - 'q' on stdin, SIGTERM or SIGINT: the open segment is closed and listed, as ffmpeg does; stdin closing (the server
 *   killed) does not stop it, as it does not stop ffmpeg: the restarted server finishes the orphan with SIGTERM;
 * - why it ended on stderr, exit code 0 (stopped by 'q', or the camera ended its stream), 255 (a signal) or 1 (an error).
 * Timestamps: the recording starts at the camera's first key frame (the RTSP reader gives the first picture of a session
 * no timestamp: without B-frames it gets the next frame's less one frame duration, with B-frames the recording starts at
 * the next key frame, as ffmpeg with -ss 0.001 does); a timestamp that does not increase is moved on as ffmpeg moves it.
 * A jump of the video's timestamps (the camera's clock stepped) is taken out as the ffmpeg engine's setts filter takes it out.
 * Sound is copied, left out, or (G.711 and other sound MPEG-TS cannot carry readably) decoded and encoded to AAC.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/log.h>
#include <libavutil/mathematics.h>
#include <libavutil/time.h>

#define EXIT_STOPPED 0
#define EXIT_FAILED 1
#define EXIT_SIGNALLED 255

enum audio_mode { AUDIO_COPY, AUDIO_AAC, AUDIO_NONE };

typedef struct {
    int out_index;           /* -1: not recorded */
    int is_video;
    int64_t last_dts;        /* last dts muxed, in the output stream's time base */
    AVCodecContext *decoder; /* sound made AAC */
    AVCodecContext *encoder;
    AVAudioFifo *fifo;
    int64_t next_sample;     /* pts of the next encoded frame, in samples from the recording's start */
    int started;
} track;

typedef struct {
    int segment_seconds;
    const char *list;
    const char *pattern;
    int flush_packets;
    const char *transport;
    const char *whitelist;
    const char *timeout;
    enum audio_mode audio;
    int64_t aac_bitrate;
    double stats_period;
    const char *camera;
    const char *url;
} settings;

static volatile sig_atomic_t signalled;
static volatile sig_atomic_t quit_asked;

static void on_signal(int signal_number)
{
    (void)signal_number;
    signalled = 1;
}

static int interrupted(void *opaque)
{
    (void)opaque;
    return signalled || quit_asked;
}

/* 'q' on stdin stops the recording as it stops ffmpeg; the end of stdin does not */
static void *read_stdin(void *unused)
{
    (void)unused;
    char c;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, &c, 1);
        if (n == 1 && c == 'q') {
            quit_asked = 1;
            return NULL;
        }

        if (n == 0 || (n < 0 && errno != EINTR)) {
            return NULL;
        }
    }
}

typedef struct {
    AVFormatContext *in;
    AVFormatContext *out;
    track *tracks;
    int video_input;         /* the input stream whose first key frame starts the recording */
    int64_t zero;            /* its timestamp there, in its time base; AV_NOPTS_VALUE before */
    AVPacket *held;          /* the first key frame of a session, given no timestamp by the RTSP reader */
    int64_t jump_in;         /* the last video dts as the camera sent it, and as corrected (AV_NOPTS_VALUE before) */
    int64_t jump_out;
    int has_audio;           /* sound is recorded: timestamp jumps are left alone */
    int64_t out_time_us;
    int64_t last_report;
    int reported;
    int64_t frames;
    double stats_period;
} recording;

static void report(recording *r, int end)
{
    int64_t now = av_gettime_relative();
    if (!end && r->reported && now - r->last_report < (int64_t)(r->stats_period * 1e6)) {
        return;
    }

    r->last_report = now;
    r->reported = 1;
    int64_t us = r->out_time_us < 0 ? 0 : r->out_time_us;
    printf("frame=%" PRId64 "\nout_time_us=%" PRId64 "\nout_time_ms=%" PRId64 "\nout_time=%02d:%02d:%02d.%06d\nprogress=%s\n",
        r->frames, us, us, (int)(us / 3600000000), (int)(us / 60000000 % 60), (int)(us / 1000000 % 60), (int)(us % 1000000),
        end ? "end" : "continue");
    fflush(stdout);
}

/* muxes a packet whose timestamps are in tb and already relative to the recording's start */
static int mux(recording *r, int input, AVPacket *packet, AVRational tb)
{
    track *t = &r->tracks[input];
    AVStream *out_stream = r->out->streams[t->out_index];
    av_packet_rescale_ts(packet, tb, out_stream->time_base);
    if (packet->dts == AV_NOPTS_VALUE) {
        packet->dts = packet->pts;
    }

    if (packet->pts == AV_NOPTS_VALUE) {
        packet->pts = packet->dts;
    }

    if (packet->dts < 0 && t->last_dts == AV_NOPTS_VALUE && !t->is_video) {
        /* sound from before the first picture of the recording */
        av_packet_unref(packet);
        return 0;
    }

    /* as ffmpeg does: a dts after its pts, and a dts that does not increase, are moved on */
    if (packet->dts > packet->pts) {
        packet->pts = packet->dts;
    }

    if (t->last_dts != AV_NOPTS_VALUE && packet->dts <= t->last_dts) {
        int64_t next = t->last_dts + 1;
        if (packet->pts >= packet->dts) {
            packet->pts = FFMAX(packet->pts, next);
        }

        packet->dts = next;
    }

    t->last_dts = packet->dts;
    int64_t end = av_rescale_q(packet->dts + FFMAX(packet->duration, 0), out_stream->time_base, AV_TIME_BASE_Q);
    r->out_time_us = FFMAX(r->out_time_us, end);
    if (t->is_video) {
        r->frames++;
    }

    packet->stream_index = t->out_index;
    packet->pos = -1;
    int written = av_interleaved_write_frame(r->out, packet);
    if (written < 0) {
        fprintf(stderr, "av_interleaved_write_frame(): %s\n", av_err2str(written));
        return written;
    }

    report(r, 0);
    return 0;
}

static int64_t relative(recording *r, int64_t ts, AVRational tb)
{
    if (ts == AV_NOPTS_VALUE) {
        return ts;
    }

    return ts - av_rescale_q(r->zero, r->in->streams[r->video_input]->time_base, tb);
}

static int encode_frames(recording *r, int input, int flush)
{
    track *t = &r->tracks[input];
    AVCodecContext *enc = t->encoder;
    AVFrame *frame = av_frame_alloc();
    AVPacket *packet = av_packet_alloc();
    int result = 0;
    while (av_audio_fifo_size(t->fifo) >= enc->frame_size || (flush && av_audio_fifo_size(t->fifo) > 0)) {
        frame->nb_samples = FFMIN(enc->frame_size, av_audio_fifo_size(t->fifo));
        frame->format = enc->sample_fmt;
        frame->sample_rate = enc->sample_rate;
        av_channel_layout_copy(&frame->ch_layout, &enc->ch_layout);
        if ((result = av_frame_get_buffer(frame, 0)) < 0 || (result = av_audio_fifo_read(t->fifo, (void **)frame->data, frame->nb_samples)) < 0) {
            break;
        }

        frame->pts = t->next_sample;
        t->next_sample += frame->nb_samples;
        result = avcodec_send_frame(enc, frame);
        av_frame_unref(frame);
        if (result < 0) {
            break;
        }

        while ((result = avcodec_receive_packet(enc, packet)) >= 0) {
            if ((result = mux(r, input, packet, enc->time_base)) < 0) {
                goto done;
            }
        }

        result = result == AVERROR(EAGAIN) ? 0 : result;
        if (result < 0) {
            break;
        }
    }

    if (flush && result >= 0) {
        avcodec_send_frame(enc, NULL);
        while ((result = avcodec_receive_packet(enc, packet)) >= 0) {
            if ((result = mux(r, input, packet, enc->time_base)) < 0) {
                goto done;
            }
        }

        result = 0;
    }

done:
    av_frame_free(&frame);
    av_packet_free(&packet);
    return result;
}

/* the decoded sound as float planes: what the AAC encoder takes */
static int to_fifo(track *t, const AVFrame *decoded)
{
    int channels = decoded->ch_layout.nb_channels;
    int n = decoded->nb_samples;
    float *planes[8];
    if (channels > 8) {
        return AVERROR(EINVAL);
    }

    for (int c = 0; c < channels; c++) {
        planes[c] = av_malloc_array((size_t)n, sizeof(float));
        if (planes[c] == NULL) {
            for (int k = 0; k < c; k++) {
                av_free(planes[k]);
            }

            return AVERROR(ENOMEM);
        }
    }

    for (int c = 0; c < channels; c++) {
        for (int i = 0; i < n; i++) {
            float v;
            switch (decoded->format) {
            case AV_SAMPLE_FMT_S16: v = ((const int16_t *)decoded->data[0])[i * channels + c] / 32768.0f; break;
            case AV_SAMPLE_FMT_S16P: v = ((const int16_t *)decoded->data[c])[i] / 32768.0f; break;
            case AV_SAMPLE_FMT_FLT: v = ((const float *)decoded->data[0])[i * channels + c]; break;
            default: v = ((const float *)decoded->data[c])[i]; break;
            }

            planes[c][i] = v;
        }
    }

    int written = av_audio_fifo_write(t->fifo, (void **)planes, n);
    for (int c = 0; c < channels; c++) {
        av_free(planes[c]);
    }

    return written < 0 ? written : 0;
}

static int transcode(recording *r, int input, AVPacket *packet)
{
    track *t = &r->tracks[input];
    AVStream *in_stream = r->in->streams[input];
    int result = avcodec_send_packet(t->decoder, packet);
    if (result < 0) {
        /* a damaged sound packet is skipped, as ffmpeg skips it */
        fprintf(stderr, "sound packet not decoded: %s\n", av_err2str(result));
        return 0;
    }

    AVFrame *decoded = av_frame_alloc();
    while ((result = avcodec_receive_frame(t->decoder, decoded)) >= 0) {
        int64_t pts = relative(r, decoded->best_effort_timestamp, in_stream->time_base);
        if (pts != AV_NOPTS_VALUE && pts < 0) {
            av_frame_unref(decoded); /* from before the first picture */
            continue;
        }

        if (!t->started) {
            t->started = 1;
            t->next_sample = pts == AV_NOPTS_VALUE ? 0 : av_rescale_q(pts, in_stream->time_base, t->encoder->time_base);
        }

        result = to_fifo(t, decoded);
        av_frame_unref(decoded);
        if (result < 0 || (result = encode_frames(r, input, 0)) < 0) {
            break;
        }
    }

    av_frame_free(&decoded);
    return result == AVERROR(EAGAIN) || result == AVERROR_EOF ? 0 : result;
}

static int open_aac(track *t, AVStream *in_stream, AVStream *out_stream, int64_t bitrate, int global_header)
{
    const AVCodec *decoder = avcodec_find_decoder(in_stream->codecpar->codec_id);
    const AVCodec *encoder = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (decoder == NULL || encoder == NULL) {
        fprintf(stderr, "no %s for the camera's sound (%s)\n", decoder == NULL ? "decoder" : "AAC encoder", avcodec_get_name(in_stream->codecpar->codec_id));
        return AVERROR_DECODER_NOT_FOUND;
    }

    t->decoder = avcodec_alloc_context3(decoder);
    avcodec_parameters_to_context(t->decoder, in_stream->codecpar);
    t->decoder->pkt_timebase = in_stream->time_base;
    int result = avcodec_open2(t->decoder, decoder, NULL);
    if (result < 0) {
        return result;
    }

    enum AVSampleFormat format = t->decoder->sample_fmt;
    if (format != AV_SAMPLE_FMT_S16 && format != AV_SAMPLE_FMT_S16P && format != AV_SAMPLE_FMT_FLT && format != AV_SAMPLE_FMT_FLTP) {
        fprintf(stderr, "the camera's sound (%s) decodes to samples of %s, which this recorder does not convert\n",
            avcodec_get_name(in_stream->codecpar->codec_id), av_get_sample_fmt_name(format));
        return AVERROR_PATCHWELCOME;
    }

    t->encoder = avcodec_alloc_context3(encoder);
    t->encoder->sample_rate = t->decoder->sample_rate;
    /* the layout by its channel count: a camera's SDP says how many channels, not which (an "unspecified" order the
       encoder refuses), as ffmpeg's own conversion then picks the default layout */
    av_channel_layout_default(&t->encoder->ch_layout, t->decoder->ch_layout.nb_channels > 0 ? t->decoder->ch_layout.nb_channels : 1);

    t->encoder->sample_fmt = AV_SAMPLE_FMT_FLTP;
    t->encoder->bit_rate = bitrate;
    t->encoder->time_base = (AVRational){ 1, t->decoder->sample_rate };
    if (global_header) {
        t->encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }

    if ((result = avcodec_open2(t->encoder, encoder, NULL)) < 0) {
        return result;
    }

    t->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, t->encoder->ch_layout.nb_channels, t->encoder->frame_size * 2);
    avcodec_parameters_from_context(out_stream->codecpar, t->encoder);
    out_stream->time_base = t->encoder->time_base;
    return 0;
}

/*
 * A camera whose video timestamps jump (its clock stepped, a restarted encoder) keeps a continuous timeline, as the ffmpeg
 * engine's setts filter keeps it (CameraTimestampJumps): a step of the dts back by more than a second, or forward by more than
 * the 5 s socket timeout, is a jump; the frame after it follows the one before by 40 ms and later frames keep their distance
 * to it. Smaller steps are a variable frame rate, a lost packet or a real pause, and are kept.
 */
static void correct_jumps(recording *r, AVPacket *packet, AVRational tb)
{
    if (packet->dts == AV_NOPTS_VALUE) {
        return;
    }

    int64_t second = av_rescale_q(1, (AVRational){ 1, 1 }, tb);
    int64_t offset = 0;
    if (r->jump_in != AV_NOPTS_VALUE) {
        int64_t step = packet->dts - r->jump_in;
        offset = step < -second || step > 5 * second ? r->jump_out + second / 25 - packet->dts : r->jump_out - r->jump_in;
    }

    r->jump_in = packet->dts;
    packet->dts += offset;
    r->jump_out = packet->dts;
    if (packet->pts != AV_NOPTS_VALUE) {
        packet->pts += offset;
    }
}

/* the first key frame of a session has no timestamp: held until the next picture says what it would have been */
static int start_video(recording *r, int input, AVPacket *packet)
{
    AVStream *in_stream = r->in->streams[input];
    if (r->held != NULL) {
        if (packet->dts != AV_NOPTS_VALUE && packet->pts == packet->dts) {
            /* no reordering: the held picture came one frame before this one */
            int64_t duration = in_stream->avg_frame_rate.num > 0
                ? av_rescale_q(1, av_inv_q(in_stream->avg_frame_rate), in_stream->time_base) : 1;
            r->held->dts = r->held->pts = packet->dts - FFMAX(duration, 1);
            r->zero = r->held->dts;
            int result = mux(r, input, r->held, in_stream->time_base);
            av_packet_free(&r->held);
            return result < 0 ? result : 1;
        }

        /* B-frames: its time cannot be told; the recording starts at the next key frame */
        av_packet_free(&r->held);
    }

    if (!(packet->flags & AV_PKT_FLAG_KEY)) {
        return 0;
    }

    if (packet->dts == AV_NOPTS_VALUE || packet->pts == AV_NOPTS_VALUE) {
        r->held = av_packet_clone(packet);
        av_packet_unref(packet);
        return 0;
    }

    r->zero = packet->dts;
    return 1;
}

static int record(const settings *s)
{
    recording r = { .zero = AV_NOPTS_VALUE, .jump_in = AV_NOPTS_VALUE, .jump_out = AV_NOPTS_VALUE, .video_input = -1, .out_time_us = 0, .stats_period = s->stats_period };
    AVDictionary *input_options = NULL;
    AVDictionary *segment_options = NULL;
    AVPacket *packet = av_packet_alloc();
    int result = EXIT_FAILED;
    char number[32];

    r.in = avformat_alloc_context();
    r.in->interrupt_callback.callback = interrupted;
    av_dict_set(&input_options, "rtsp_transport", s->transport, 0);
    av_dict_set(&input_options, "timeout", s->timeout, 0);
    av_dict_set(&input_options, "protocol_whitelist", s->whitelist, 0);
    int opened = avformat_open_input(&r.in, s->url, NULL, &input_options);
    if (opened < 0) {
        r.in = NULL;
        fprintf(stderr, "cannot open the camera's stream: %s\n", av_err2str(opened));
        goto done;
    }

    if ((opened = avformat_find_stream_info(r.in, NULL)) < 0) {
        fprintf(stderr, "cannot read what the camera sends: %s\n", av_err2str(opened));
        goto done;
    }

    if (avformat_alloc_output_context2(&r.out, NULL, "segment", s->pattern) < 0) {
        fprintf(stderr, "no segment muxer\n");
        goto done;
    }

    r.tracks = calloc(r.in->nb_streams, sizeof *r.tracks);
    int global_header = (r.out->oformat->flags & AVFMT_GLOBALHEADER) != 0;
    /* as -map 0:v then -map 0:a: the video streams first */
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < r.in->nb_streams; i++) {
            AVStream *in_stream = r.in->streams[i];
            enum AVMediaType type = in_stream->codecpar->codec_type;
            track *t = &r.tracks[i];
            if (pass == 0) {
                t->out_index = -1;
                t->last_dts = AV_NOPTS_VALUE;
            }

            if ((pass == 0 && type != AVMEDIA_TYPE_VIDEO) || (pass == 1 && (type != AVMEDIA_TYPE_AUDIO || s->audio == AUDIO_NONE))) {
                continue;
            }

            AVStream *out_stream = avformat_new_stream(r.out, NULL);
            t->out_index = out_stream->index;
            t->is_video = type == AVMEDIA_TYPE_VIDEO;
            r.has_audio |= type == AVMEDIA_TYPE_AUDIO;
            if (t->is_video && r.video_input < 0) {
                r.video_input = (int)i;
            }

            if (type == AVMEDIA_TYPE_AUDIO && s->audio == AUDIO_AAC) {
                int aac = open_aac(t, in_stream, out_stream, s->aac_bitrate, global_header);
                if (aac < 0) {
                    fprintf(stderr, "cannot make the camera's sound AAC: %s\n", av_err2str(aac));
                    goto done;
                }
            } else {
                avcodec_parameters_copy(out_stream->codecpar, in_stream->codecpar);
                out_stream->codecpar->codec_tag = 0;
                out_stream->time_base = in_stream->time_base;
                out_stream->avg_frame_rate = in_stream->avg_frame_rate;
                out_stream->r_frame_rate = in_stream->r_frame_rate;
            }
        }
    }

    if (r.video_input < 0) {
        fprintf(stderr, "Stream map '0:v' matches no streams: the camera sends no video\n");
        goto done;
    }

    snprintf(number, sizeof number, "%d", s->segment_seconds);
    av_dict_set(&segment_options, "segment_time", number, 0);
    av_dict_set(&segment_options, "segment_format", "mpegts", 0);
    av_dict_set(&segment_options, "reset_timestamps", "1", 0);
    av_dict_set(&segment_options, "segment_list", s->list, 0);
    av_dict_set(&segment_options, "segment_list_type", "csv", 0);
    av_dict_set(&segment_options, "segment_list_flags", "+live", 0);
    if (s->flush_packets) {
        av_dict_set(&segment_options, "segment_format_options", "flush_packets=1", 0);
    }

    int header = avformat_write_header(r.out, &segment_options);
    if (header < 0) {
        fprintf(stderr, "cannot start the segments: %s\n", av_err2str(header));
        goto done;
    }

    result = EXIT_STOPPED;
    for (;;) {
        int read = av_read_frame(r.in, packet);
        if (read == AVERROR(EAGAIN)) {
            av_usleep(10000);
            continue;
        }

        if (read == AVERROR_EXIT || signalled || quit_asked) {
            av_packet_unref(packet);
            break;
        }

        if (read < 0) {
            if (read != AVERROR_EOF) {
                fprintf(stderr, "%s: error reading the camera's stream: %s\n", s->camera, av_err2str(read));
                result = EXIT_FAILED;
            } else {
                fprintf(stderr, "%s: the camera ended its stream\n", s->camera);
            }

            break;
        }

        int input = packet->stream_index;
        if (input >= (int)r.in->nb_streams || r.tracks[input].out_index < 0) {
            av_packet_unref(packet);
            continue;
        }

        /* only without sound, as the ffmpeg engine: with sound the RTSP reader moves both streams by the RTCP sender reports */
        if (input == r.video_input && !r.has_audio) {
            correct_jumps(&r, packet, r.in->streams[input]->time_base);
        }

        if (r.zero == AV_NOPTS_VALUE) {
            int started = input == r.video_input ? start_video(&r, input, packet) : 0;
            if (started < 0) {
                result = EXIT_FAILED;
                break;
            }

            if (started == 0) {
                av_packet_unref(packet); /* nothing before the first key frame */
                continue;
            }
        }

        track *t = &r.tracks[input];
        AVRational tb = r.in->streams[input]->time_base;
        int muxed;
        if (t->encoder != NULL) {
            muxed = transcode(&r, input, packet);
            av_packet_unref(packet);
        } else {
            if (packet->dts == AV_NOPTS_VALUE && packet->pts == AV_NOPTS_VALUE) {
                av_packet_unref(packet); /* a packet without a time cannot be placed */
                continue;
            }

            packet->dts = relative(&r, packet->dts, tb);
            packet->pts = relative(&r, packet->pts, tb);
            muxed = mux(&r, input, packet, tb);
        }

        if (muxed < 0) {
            result = EXIT_FAILED;
            break;
        }
    }

    for (unsigned i = 0; i < r.in->nb_streams; i++) {
        if (r.tracks[i].encoder != NULL && r.zero != AV_NOPTS_VALUE) {
            encode_frames(&r, (int)i, 1);
        }
    }

    int trailer = av_write_trailer(r.out);
    if (trailer < 0) {
        fprintf(stderr, "Error writing trailer: %s\n", av_err2str(trailer));
        result = EXIT_FAILED;
    }

    report(&r, 1);
    if (result == EXIT_STOPPED && signalled) {
        fprintf(stderr, "Exiting normally, received signal.\n");
        result = EXIT_SIGNALLED;
    }

done:
    av_packet_free(&packet);
    av_packet_free(&r.held);
    av_dict_free(&input_options);
    av_dict_free(&segment_options);
    if (r.tracks != NULL) {
        for (unsigned i = 0; i < r.in->nb_streams; i++) {
            avcodec_free_context(&r.tracks[i].decoder);
            avcodec_free_context(&r.tracks[i].encoder);
            if (r.tracks[i].fifo != NULL) {
                av_audio_fifo_free(r.tracks[i].fifo);
            }
        }

        free(r.tracks);
    }

    if (r.out != NULL) {
        avformat_free_context(r.out);
    }

    avformat_close_input(&r.in);
    return result;
}

static void usage(const char *program)
{
    fprintf(stderr, "usage: %s --segment-time S --list LIST.csv --pattern NAME-%%06d.ts [--flush-packets] [--transport tcp|udp]\n"
        "       [--protocol-whitelist LIST] [--timeout US] [--audio copy|aac|none] [--aac-bitrate BPS|Nk] [--stats-period S] [--camera ID] URL\n",
        program);
}

int main(int argc, char **argv)
{
    settings s = { .transport = "tcp", .whitelist = "tcp,tls", .timeout = "5000000", .audio = AUDIO_COPY, .aac_bitrate = 32000,
        .stats_period = 2, .camera = "camera" };
    static const struct option options[] = {
        { "segment-time", required_argument, NULL, 's' },
        { "list", required_argument, NULL, 'l' },
        { "pattern", required_argument, NULL, 'p' },
        { "flush-packets", no_argument, NULL, 'f' },
        { "transport", required_argument, NULL, 't' },
        { "protocol-whitelist", required_argument, NULL, 'w' },
        { "timeout", required_argument, NULL, 'o' },
        { "audio", required_argument, NULL, 'a' },
        { "aac-bitrate", required_argument, NULL, 'b' },
        { "stats-period", required_argument, NULL, 'r' },
        { "camera", required_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    int option;
    while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (option) {
        case 's': s.segment_seconds = atoi(optarg); break;
        case 'l': s.list = optarg; break;
        case 'p': s.pattern = optarg; break;
        case 'f': s.flush_packets = 1; break;
        case 't': s.transport = optarg; break;
        case 'w': s.whitelist = optarg; break;
        case 'o': s.timeout = optarg; break;
        case 'a':
            if (strcmp(optarg, "copy") == 0) {
                s.audio = AUDIO_COPY;
            } else if (strcmp(optarg, "aac") == 0) {
                s.audio = AUDIO_AAC;
            } else if (strcmp(optarg, "none") == 0) {
                s.audio = AUDIO_NONE;
            } else {
                usage(argv[0]);
                return 2;
            }

            break;
        case 'b': {
            char *unit;
            s.aac_bitrate = strtoll(optarg, &unit, 10) * (*unit == 'k' ? 1000 : 1);
            break;
        }
        case 'r': s.stats_period = strtod(optarg, NULL); break;
        case 'c': s.camera = optarg; break;
        default: usage(argv[0]); return 2;
        }
    }

    if (optind != argc - 1 || s.segment_seconds <= 0 || s.list == NULL || s.pattern == NULL || s.aac_bitrate <= 0 || s.stats_period <= 0) {
        usage(argv[0]);
        return 2;
    }

    s.url = argv[optind];
    /* no SA_RESTART: a blocked read returns, and the interrupt callback ends what libavformat waits for */
    struct sigaction action = { .sa_handler = on_signal };
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    /* the server gone, its pipes closed: reports are lost, the recording goes on (as ffmpeg's does) */
    signal(SIGPIPE, SIG_IGN);
    av_log_set_level(AV_LOG_WARNING);
    avformat_network_init();
    pthread_t stdin_reader;
    if (pthread_create(&stdin_reader, NULL, read_stdin, NULL) == 0) {
        pthread_detach(stdin_reader);
    }

    int result = record(&s);
    avformat_network_deinit();
    return result;
}
