/*
 * footage-keyframe-decoder: turns key frames into JPEG pictures for the recorder's thumbnails, in a process of its own.
 *
 * Camera streams are untrusted input, and a decoder is a large parser of it. This process is where that parser runs:
 * it is started by the recorder with an empty environment, and before it reads a byte it confines itself with seccomp
 * to reading its standard input, writing its standard output and error, and managing its own memory. Any other system
 * call (open, exec, socket, ptrace, kill...) fails with EPERM, so a stream that took over the decoder could still not
 * reach a file, a key, the network or the recorder. It links libavcodec through its headers (no structure offsets are
 * assumed) and stays running, so a picture costs its decoding (a few milliseconds), not ffmpeg's start-up.
 *
 * Protocol, all integers little-endian, one request at a time:
 *   request:  u32 codec (1 = H.264, 2 = H.265), u32 JPEG quality (2 best .. 31 worst), u32 length, then the access unit
 *             of the key frame in Annex B form with its parameter sets
 *   answer:   u32 status (0 = a JPEG follows, 1 = an error message follows), u32 length, then the bytes
 * End of input ends the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>
#include <seccomp.h>

#define MAX_ACCESS_UNIT (64u << 20)
#define MAX_MEMORY (1024ul << 20)

static int read_exactly(void *buffer, size_t size)
{
    uint8_t *at = buffer;
    while (size > 0) {
        ssize_t n = read(0, at, size);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        at += n;
        size -= (size_t)n;
    }
    return 1;
}

static int write_exactly(const void *buffer, size_t size)
{
    const uint8_t *at = buffer;
    while (size > 0) {
        ssize_t n = write(1, at, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        at += n;
        size -= (size_t)n;
    }
    return 0;
}

static uint32_t le32(const uint8_t *b) { return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24; }

static void put_le32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}

static int answer(uint32_t status, const void *bytes, uint32_t length)
{
    uint8_t header[8];
    put_le32(header, status);
    put_le32(header + 4, length);
    if (write_exactly(header, sizeof header) < 0)
        return -1;
    return write_exactly(bytes, length);
}

static int fail(const char *what, int error)
{
    char message[256];
    char reason[AV_ERROR_MAX_STRING_SIZE] = "";
    if (error < 0)
        av_strerror(error, reason, sizeof reason);
    int n = snprintf(message, sizeof message, "%s%s%s", what, error < 0 ? ": " : "", reason);
    return answer(1, message, (uint32_t)(n < 0 ? 0 : n));
}

static AVFrame *decode(const AVCodec *codec, uint8_t *unit, uint32_t length, int *error, const char **what)
{
    AVCodecContext *context = avcodec_alloc_context3(codec);
    AVPacket *packet = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    if (!context || !packet || !frame) {
        *what = "out of memory";
        *error = AVERROR(ENOMEM);
        goto failed;
    }
    context->thread_count = 1; /* one picture: threads would only decode ahead */
    if ((*error = avcodec_open2(context, codec, NULL)) < 0) {
        *what = "opening the decoder";
        goto failed;
    }
    packet->data = unit;
    packet->size = (int)length;
    if ((*error = avcodec_send_packet(context, packet)) < 0) {
        *what = "decoding the key frame";
        goto failed;
    }
    avcodec_send_packet(context, NULL); /* end of stream: the decoder gives the picture up without waiting for more */
    if ((*error = avcodec_receive_frame(context, frame)) < 0) {
        *what = "decoding the key frame (no picture)";
        goto failed;
    }
    av_packet_free(&packet);
    avcodec_free_context(&context);
    return frame;
failed:
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&context);
    return NULL;
}

/* The picture as full-range 8-bit 4:2:0, whatever the camera sent (video range, 10 bits, 4:2:2...), as ffmpeg's scaler does for a JPEG. */
static AVFrame *to_jpeg_format(const AVFrame *picture, int *error)
{
    AVFrame *out = av_frame_alloc();
    if (!out) {
        *error = AVERROR(ENOMEM);
        return NULL;
    }
    out->width = picture->width;
    out->height = picture->height;
    out->format = AV_PIX_FMT_YUVJ420P;
    if ((*error = av_frame_get_buffer(out, 0)) < 0) {
        av_frame_free(&out);
        return NULL;
    }
    struct SwsContext *scaler = sws_getContext(picture->width, picture->height, picture->format, out->width, out->height,
                                               AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, NULL, NULL, NULL);
    if (!scaler) {
        *error = AVERROR(EINVAL);
        av_frame_free(&out);
        return NULL;
    }
    int full_range = picture->color_range == AVCOL_RANGE_JPEG || picture->format == AV_PIX_FMT_YUVJ420P;
    const int *coefficients = sws_getCoefficients(SWS_CS_DEFAULT);
    sws_setColorspaceDetails(scaler, coefficients, full_range, coefficients, 1, 0, 1 << 16, 1 << 16);
    sws_scale(scaler, (const uint8_t *const *)picture->data, picture->linesize, 0, picture->height, out->data, out->linesize);
    sws_freeContext(scaler);
    return out;
}

static AVPacket *encode(const AVCodec *mjpeg, AVFrame *picture, int quality, int *error, const char **what)
{
    AVCodecContext *context = avcodec_alloc_context3(mjpeg);
    AVPacket *packet = av_packet_alloc();
    if (!context || !packet) {
        *what = "out of memory";
        *error = AVERROR(ENOMEM);
        goto failed;
    }
    context->width = picture->width;
    context->height = picture->height;
    context->pix_fmt = AV_PIX_FMT_YUVJ420P;
    context->color_range = AVCOL_RANGE_JPEG;
    context->time_base = (AVRational){1, 25};
    context->qmin = context->qmax = quality;
    context->flags |= AV_CODEC_FLAG_QSCALE;
    context->global_quality = FF_QP2LAMBDA * quality;
    context->thread_count = 1;
    picture->quality = context->global_quality;
    picture->pict_type = AV_PICTURE_TYPE_I;
    if ((*error = avcodec_open2(context, mjpeg, NULL)) < 0) {
        *what = "opening the JPEG encoder";
        goto failed;
    }
    if ((*error = avcodec_send_frame(context, picture)) < 0 || (*error = avcodec_send_frame(context, NULL)) < 0) {
        *what = "encoding the picture";
        goto failed;
    }
    if ((*error = avcodec_receive_packet(context, packet)) < 0) {
        *what = "receiving the JPEG";
        goto failed;
    }
    avcodec_free_context(&context);
    return packet;
failed:
    av_packet_free(&packet);
    avcodec_free_context(&context);
    return NULL;
}

static int serve(const AVCodec *h264, const AVCodec *hevc, const AVCodec *mjpeg, uint8_t *unit, uint32_t codec_id, uint32_t quality, uint32_t length)
{
    const AVCodec *codec = codec_id == 1 ? h264 : codec_id == 2 ? hevc : NULL;
    if (!codec)
        return fail("unknown codec (1 is H.264, 2 is H.265)", 0);
    if (quality < 2 || quality > 31)
        return fail("quality must be 2 to 31", 0);
    memset(unit + length, 0, AV_INPUT_BUFFER_PADDING_SIZE);
    int error = 0;
    const char *what = "";
    AVFrame *picture = decode(codec, unit, length, &error, &what);
    if (!picture)
        return fail(what, error);
    AVFrame *converted = to_jpeg_format(picture, &error);
    av_frame_free(&picture);
    if (!converted)
        return fail("converting the picture", error);
    AVPacket *jpeg = encode(mjpeg, converted, (int)quality, &error, &what);
    av_frame_free(&converted);
    if (!jpeg)
        return fail(what, error);
    int written = answer(0, jpeg->data, (uint32_t)jpeg->size);
    av_packet_free(&jpeg);
    malloc_trim(0); /* give a large picture's buffers back between pictures */
    return written;
}

/* From here on the process may read its input, write its output and error, and manage its memory; nothing else. */
static int confine(void)
{
    scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (!filter)
        return -1;
    int rc = 0;
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, 0));
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 1));
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 2));
    /* memory, never executable: a taken-over decoder cannot map code of its own */
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(munmap), 0);
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(mremap), 0);
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(brk), 0);
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(madvise), 0);
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(futex), 0);
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(clock_gettime), 0);
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigreturn), 0);
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0);
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
    if (rc == 0)
        rc = seccomp_load(filter); /* sets no_new_privs first */
    seccomp_release(filter);
    return rc;
}

int main(int argc, char **argv)
{
    av_log_set_level(AV_LOG_QUIET); /* every failure is in the answer */
    struct rlimit memory = {MAX_MEMORY, MAX_MEMORY};
    setrlimit(RLIMIT_AS, &memory);
    const AVCodec *h264 = avcodec_find_decoder(AV_CODEC_ID_H264);
    const AVCodec *hevc = avcodec_find_decoder(AV_CODEC_ID_HEVC);
    const AVCodec *mjpeg = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!h264 || !hevc || !mjpeg) {
        fprintf(stderr, "footage-keyframe-decoder: this libavcodec lacks the H.264 or H.265 decoder or the JPEG encoder\n");
        return 2;
    }
    if (confine() != 0) {
        fprintf(stderr, "footage-keyframe-decoder: could not confine itself with seccomp\n");
        return 3;
    }
    /* the proof the confinement holds, for the recorder's first look: opening a file must fail */
    if (argc > 1 && strcmp(argv[1], "--check-confinement") == 0) {
        int fd = open("/etc/hostname", O_RDONLY);
        return fd < 0 && errno == EPERM ? 0 : 4;
    }
    for (;;) {
        uint8_t header[12];
        int got = read_exactly(header, sizeof header);
        if (got <= 0)
            return got == 0 ? 0 : 1;
        uint32_t codec = le32(header), quality = le32(header + 4), length = le32(header + 8);
        if (length == 0 || length > MAX_ACCESS_UNIT) {
            fail("the access unit is empty or larger than 64 MiB", 0);
            return 1; /* the stream is out of step: end, the recorder starts another */
        }
        uint8_t *unit = malloc((size_t)length + AV_INPUT_BUFFER_PADDING_SIZE);
        if (!unit || read_exactly(unit, length) != 1) {
            free(unit);
            return 1;
        }
        int written = serve(h264, hevc, mjpeg, unit, codec, quality, length);
        free(unit);
        if (written < 0)
            return 1;
    }
}
