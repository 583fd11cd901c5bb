package org.genretagger.trainer.corpus;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * Encodes stereo float audio into a file with the FFmpeg libraries of the JavaCPP artifact (the
 * same the plugin decodes with): MP3 (libmp3lame, 192 kbit/s CBR), FLAC, M4A (AAC 160 kbit/s or ALAC).
 * Streaming: memory stays bounded whatever the length. One encoder per thread.
 */
public final class AudioEncoder implements AutoCloseable {
    /** Output formats the corpus can be written in. */
    public enum Format {
        /** MPEG-1 layer III through LAME. */
        MP3("mp3", "libmp3lame", AV_SAMPLE_FMT_FLTP, 192_000),
        /** Free Lossless Audio Codec, 16 bit. */
        FLAC("flac", "flac", AV_SAMPLE_FMT_S16, 0),
        /** AAC in an MP4 container. */
        M4A("m4a", "aac", AV_SAMPLE_FMT_FLTP, 160_000),
        /** Apple Lossless in an MP4 container. */
        ALAC("m4a", "alac", AV_SAMPLE_FMT_S16P, 0);

        final String extension;
        final String encoder;
        final int sampleFormat;
        final long bitRate;

        Format(String extension, String encoder, int sampleFormat, long bitRate) {
            this.extension = extension;
            this.encoder = encoder;
            this.sampleFormat = sampleFormat;
            this.bitRate = bitRate;
        }

        /** @return the file name extension */
        public String extension() {
            return extension;
        }

        /**
         * @param name mp3, flac, m4a (AAC) or alac
         * @return the format
         */
        public static Format parse(String name) {
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "mp3" -> MP3;
                case "flac" -> FLAC;
                case "m4a", "aac" -> M4A;
                case "alac" -> ALAC;
                default -> throw new IllegalArgumentException("format must be mp3, flac, m4a or alac, not '" + name + "'");
            };
        }
    }

    /** AVERROR(EAGAIN) on Linux and Windows; macOS numbers EAGAIN 35. */
    private static final int AVERROR_EAGAIN = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac") ? -35 : -11;

    static {
        // The AAC encoder reports its average quantiser on every close; errors reach callers as exceptions.
        av_log_set_level(AV_LOG_ERROR);
    }

    private final Path file;
    private final AVFormatContext fmt;
    private final AVCodecContext codec;
    private final AVStream stream;
    private final AVFrame frame;
    private final AVPacket packet;
    private final int frameSize;
    private final int sampleFormat;
    private final float[] pendL;
    private final float[] pendR;
    private final short[] s16;
    private int pending;
    private long pts;
    private boolean closed;

    /**
     * @param file where to write (the extension should match the format)
     * @param format the codec and container
     * @param sampleRate input and output rate in Hz
     * @throws IOException if FFmpeg cannot set up the encoder or open the file
     */
    public AudioEncoder(Path file, Format format, int sampleRate) throws IOException {
        this(file, format, sampleRate, format.bitRate);
    }

    /**
     * @param file where to write (the extension should match the format)
     * @param format the codec and container
     * @param sampleRate input and output rate in Hz
     * @param bitRate bits per second for a lossy format (ignored by lossless ones)
     * @throws IOException if FFmpeg cannot set up the encoder or open the file
     */
    public AudioEncoder(Path file, Format format, int sampleRate, long bitRate) throws IOException {
        this.file = file;
        this.sampleFormat = format.sampleFormat;
        fmt = new AVFormatContext(null);
        String path = file.toAbsolutePath().toString();
        String muxer = format == Format.MP3 ? "mp3" : format == Format.FLAC ? "flac" : "ipod";
        check(avformat_alloc_output_context2(fmt, (AVOutputFormat) null, muxer, path), "allocate the " + muxer + " muxer");
        AVCodec enc = avcodec_find_encoder_by_name(format.encoder);
        if (enc == null || enc.isNull()) {
            throw new IOException("the FFmpeg build has no " + format.encoder + " encoder");
        }
        stream = avformat_new_stream(fmt, enc);
        codec = avcodec_alloc_context3(enc);
        codec.sample_fmt(format.sampleFormat);
        codec.sample_rate(sampleRate);
        av_channel_layout_default(codec.ch_layout(), 2);
        if (format.bitRate > 0) {
            codec.bit_rate(bitRate);
        }
        if (format == Format.MP3) {
            // LAME's quality 7: a fast psychoacoustic search. The stream is as costly to decode as any
            // 192 kbit/s MP3, and a corpus is written several times faster.
            codec.compression_level(7);
        }
        codec.time_base(av_make_q(1, sampleRate));
        if ((fmt.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            codec.flags(codec.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        check(avcodec_open2(codec, enc, (AVDictionary) null), "open the " + format.encoder + " encoder");
        check(avcodec_parameters_from_context(stream.codecpar(), codec), "set the stream parameters");
        stream.time_base(codec.time_base());
        AVIOContext pb = new AVIOContext(null);
        check(avio_open(pb, path, AVIO_FLAG_WRITE), "open the file for writing");
        fmt.pb(pb);
        check(avformat_write_header(fmt, (AVDictionary) null), "write the header");
        frameSize = codec.frame_size() > 0 ? codec.frame_size() : 4096;
        frame = av_frame_alloc();
        frame.nb_samples(frameSize);
        frame.format(format.sampleFormat);
        frame.sample_rate(sampleRate);
        av_channel_layout_copy(frame.ch_layout(), codec.ch_layout());
        check(av_frame_get_buffer(frame, 0), "allocate a frame");
        packet = av_packet_alloc();
        pendL = new float[frameSize];
        pendR = new float[frameSize];
        s16 = new short[frameSize * 2];
    }

    /**
     * Appends stereo samples in [-1, 1].
     *
     * @param left left channel
     * @param right right channel
     * @param count how many frames
     * @throws IOException if encoding or writing fails
     */
    public void write(float[] left, float[] right, int count) throws IOException {
        int off = 0;
        while (off < count) {
            int n = Math.min(count - off, frameSize - pending);
            System.arraycopy(left, off, pendL, pending, n);
            System.arraycopy(right, off, pendR, pending, n);
            pending += n;
            off += n;
            if (pending == frameSize) {
                sendFrame(frameSize);
            }
        }
    }

    private void sendFrame(int n) throws IOException {
        check(av_frame_make_writable(frame), "make a frame writable");
        frame.nb_samples(n);
        switch (sampleFormat) {
            case AV_SAMPLE_FMT_FLTP -> {
                new FloatPointer(frame.data(0)).put(pendL, 0, n);
                new FloatPointer(frame.data(1)).put(pendR, 0, n);
            }
            case AV_SAMPLE_FMT_S16 -> {
                for (int i = 0; i < n; i++) {
                    s16[2 * i] = toShort(pendL[i]);
                    s16[2 * i + 1] = toShort(pendR[i]);
                }
                new ShortPointer(frame.data(0)).put(s16, 0, 2 * n);
            }
            case AV_SAMPLE_FMT_S16P -> {
                for (int i = 0; i < n; i++) {
                    s16[i] = toShort(pendL[i]);
                    s16[frameSize + i] = toShort(pendR[i]);
                }
                new ShortPointer(frame.data(0)).put(s16, 0, n);
                new ShortPointer(frame.data(1)).put(s16, frameSize, n);
            }
            default -> throw new IllegalStateException("sample format " + sampleFormat);
        }
        frame.pts(pts);
        pts += n;
        pending = 0;
        check(avcodec_send_frame(codec, frame), "encode");
        drain();
    }

    private static short toShort(float v) {
        return (short) Math.round(Math.max(-1f, Math.min(1f, v)) * 32767f);
    }

    private void drain() throws IOException {
        while (true) {
            int r = avcodec_receive_packet(codec, packet);
            if (r == AVERROR_EOF || r == AVERROR_EAGAIN) {
                return;
            }
            check(r, "encode");
            av_packet_rescale_ts(packet, codec.time_base(), stream.time_base());
            packet.stream_index(stream.index());
            check(av_interleaved_write_frame(fmt, packet), "write");
        }
    }

    /**
     * Flushes the encoder and finishes the file.
     *
     * @throws IOException if the tail cannot be written
     */
    public void finish() throws IOException {
        if (pending > 0) {
            // Codecs with a fixed frame size get the last frame padded with silence.
            boolean variable = (codec.codec().capabilities() & (AV_CODEC_CAP_VARIABLE_FRAME_SIZE | AV_CODEC_CAP_SMALL_LAST_FRAME)) != 0;
            if (!variable) {
                java.util.Arrays.fill(pendL, pending, frameSize, 0f);
                java.util.Arrays.fill(pendR, pending, frameSize, 0f);
                pending = frameSize;
            }
            sendFrame(pending);
        }
        check(avcodec_send_frame(codec, null), "flush the encoder");
        drain();
        check(av_write_trailer(fmt), "write the trailer");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (packet != null) {
            av_packet_free(packet);
        }
        if (frame != null) {
            av_frame_free(frame);
        }
        avcodec_free_context(codec);
        if (fmt.pb() != null && !fmt.pb().isNull()) {
            avio_closep(fmt.pb());
        }
        avformat_free_context(fmt);
    }

    private void check(int r, String what) throws IOException {
        if (r < 0) {
            byte[] b = new byte[256];
            av_strerror(r, b, b.length);
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            throw new IOException(file.getFileName() + ": cannot " + what + " (" + new String(b, 0, n) + ")");
        }
    }

    /**
     * Writes a synthetic track.
     *
     * @param file where
     * @param format which format
     * @param seconds how long
     * @param seed which synthetic track
     * @param sampleRate rate in Hz
     * @throws IOException if encoding fails
     */
    public static void writeSynthetic(Path file, Format format, double seconds, long seed, int sampleRate) throws IOException {
        SyntheticMusic music = new SyntheticMusic(seed, sampleRate);
        long total = Math.round(seconds * sampleRate);
        float[] l = new float[8192];
        float[] r = new float[8192];
        try (AudioEncoder enc = new AudioEncoder(file, format, sampleRate)) {
            for (long done = 0; done < total; ) {
                int n = (int) Math.min(l.length, total - done);
                music.next(l, r, n);
                enc.write(l, r, n);
                done += n;
            }
            enc.finish();
        }
    }
}
