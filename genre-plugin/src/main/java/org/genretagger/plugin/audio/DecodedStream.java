package org.genretagger.plugin.audio;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swresample.*;

import java.lang.ref.Cleaner;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * An open audio file being decoded to mono float samples at a fixed rate; obtained from
 * {@link AudioDecoder#open}. Memory stays bounded by about one decoded frame whatever the file length.
 *
 * <p>Not thread-safe: use one stream from one thread at a time (different streams may run in parallel).
 * Always {@link #close()} it; a forgotten stream is freed when garbage collected, but not promptly.
 *
 * <p>Damaged packets in the middle are skipped; a truncated file yields what could be decoded. A read
 * fails only when nothing at all can be decoded.
 */
public final class DecodedStream implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();
    private static final boolean MAC = System.getProperty("os.name", "").toLowerCase().contains("mac");
    // AVERROR(errno): FFmpeg's error codes are negated errno values.
    private static final int AVERROR_EAGAIN = MAC ? -35 : -11;
    private static final int AVERROR_ENOENT = -2;
    private static final int AVERROR_EACCES = -13;
    /** Packet errors tolerated before the first decoded frame: beyond, the stream is not decodable. */
    private static final int MAX_ERRORS_BEFORE_FIRST_FRAME = 64;
    /** Loop turns without reading, decoding or converting anything: a stuck decoder. */
    private static final int MAX_IDLE_TURNS = 10_000;

    /** Native state, separate from the stream so that the Cleaner can free it. */
    private static final class Native implements Runnable {
        AVFormatContext fmt;
        AVCodecContext codec;
        AVPacket packet;
        AVFrame frame;
        SwrContext swr;
        FloatPointer out;
        PointerPointer<FloatPointer> outPlanes;

        @Override
        public synchronized void run() {
            freeSwr();
            if (out != null) {
                outPlanes.deallocate();
                out.deallocate();
                out = null;
                outPlanes = null;
            }
            if (frame != null) {
                av_frame_free(frame);
                frame = null;
            }
            if (packet != null) {
                av_packet_free(packet);
                packet = null;
            }
            if (codec != null) {
                avcodec_free_context(codec);
                codec = null;
            }
            if (fmt != null) {
                if (!fmt.isNull()) {
                    avformat_close_input(fmt);
                }
                fmt = null;
            }
        }

        void freeSwr() {
            if (swr != null) {
                swr_free(swr);
                swr = null;
            }
        }
    }

    private final Path file;
    private final String name;
    private final int targetRate;
    private final Native nat;
    private final Cleaner.Cleanable cleanable;
    private final int streamIndex;
    private final double timeBase;
    private final long startPts;
    private final double duration;
    private final int sourceRate;
    private int sourceChannels;
    private final String codecName;

    // Resampler input parameters, to detect mid-stream changes.
    private int swrRate;
    private int swrFormat;
    private int swrChannels;
    private int outCapacity;

    // Converted samples not yet handed out: pend[pendPos .. pendLen).
    private float[] pend = new float[8192];
    private int pendPos;
    private int pendLen;

    private boolean demuxDone;
    private boolean decoderDone;
    private boolean finished;
    private boolean closed;

    private int readRetries;
    private boolean packetHeld;
    private boolean seeked;
    private long errors;
    private int lastError;
    private long framesDecoded;
    private long samplesOut;
    private int readError;
    /** After a seek: the requested time, to drop what the decoder gives before it; NaN otherwise. */
    private double seekTarget = Double.NaN;
    /** Output samples still to drop after a seek (the resampler restarts on the grid before the target). */
    private long dropOut;
    /** After a seek: the input sample index at which resampling restarts; -1 when not yet chosen. */
    private long alignInputAt = -1;

    private DecodedStream(Path file, int targetRate, Native nat, int streamIndex) {
        this.file = file;
        this.name = AudioDecoder.displayName(file);
        this.targetRate = targetRate;
        this.nat = nat;
        this.cleanable = CLEANER.register(this, nat);
        this.streamIndex = streamIndex;
        AVStream st = nat.fmt.streams(streamIndex);
        this.timeBase = av_q2d(st.time_base());
        this.startPts = st.start_time() == AV_NOPTS_VALUE ? 0 : st.start_time();
        AVCodecParameters par = st.codecpar();
        this.sourceRate = par.sample_rate();
        this.sourceChannels = par.ch_layout().nb_channels();
        BytePointer cn = avcodec_get_name(par.codec_id());
        this.codecName = cn == null || cn.isNull() ? "unknown" : cn.getString();
        double d = Double.NaN;
        if (nat.fmt.duration() != AV_NOPTS_VALUE && nat.fmt.duration() > 0) {
            d = nat.fmt.duration() / (double) AV_TIME_BASE;
        } else if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0) {
            d = st.duration() * timeBase;
        }
        this.duration = d;
    }

    static DecodedStream open(Path file, int targetRate) throws AudioDecodeException {
        String name = AudioDecoder.displayName(file);
        Native nat = new Native();
        boolean ok = false;
        try {
            nat.fmt = new AVFormatContext(null);
            AVDictionary opts = new AVDictionary(null);
            // Only local files: a playlist-like file must not make FFmpeg open network URLs.
            av_dict_set(opts, "protocol_whitelist", "file", 0);
            int r;
            BytePointer path = pathBytes(file);
            try {
                r = avformat_open_input(nat.fmt, path, (AVInputFormat) null, opts);
            } finally {
                path.deallocate();
                av_dict_free(opts);
            }
            if (r < 0) {
                nat.fmt = null; // FFmpeg frees the context on failure
                throw new AudioDecodeException(name + ": " + openError(r));
            }
            r = avformat_find_stream_info(nat.fmt, (PointerPointer<?>) null);
            if (r < 0) {
                throw new AudioDecodeException(name + ": not an audio file (" + errorText(r) + ")");
            }
            int idx = av_find_best_stream(nat.fmt, AVMEDIA_TYPE_AUDIO, -1, -1, (PointerPointer<?>) null, 0);
            if (idx < 0) {
                throw new AudioDecodeException(name + ": " + noStreamReason(nat.fmt));
            }
            for (int i = 0; i < nat.fmt.nb_streams(); i++) {
                if (i != idx) {
                    nat.fmt.streams(i).discard(AVDISCARD_ALL);
                }
            }
            AVStream st = nat.fmt.streams(idx);
            AVCodecParameters par = st.codecpar();
            AVCodec dec = avcodec_find_decoder(par.codec_id());
            if (dec == null || dec.isNull()) {
                BytePointer cn = avcodec_get_name(par.codec_id());
                throw new AudioDecodeException(name + ": unsupported audio codec '"
                        + (cn == null || cn.isNull() ? "unknown" : cn.getString()) + "'");
            }
            nat.codec = avcodec_alloc_context3(dec);
            if (nat.codec == null || nat.codec.isNull()) {
                throw new AudioDecodeException(name + ": out of memory opening the decoder");
            }
            r = avcodec_parameters_to_context(nat.codec, par);
            if (r < 0) {
                throw new AudioDecodeException(name + ": cannot set up the decoder (" + errorText(r) + ")");
            }
            nat.codec.pkt_timebase(st.time_base());
            // Parallelism comes from decoding several tracks at once, not from threads per track.
            nat.codec.thread_count(1);
            r = avcodec_open2(nat.codec, dec, (PointerPointer<?>) null);
            if (r < 0) {
                throw new AudioDecodeException(name + ": cannot open the " + dec.name().getString()
                        + " decoder (" + errorText(r) + ")");
            }
            nat.packet = av_packet_alloc();
            nat.frame = av_frame_alloc();
            if (nat.packet == null || nat.packet.isNull() || nat.frame == null || nat.frame.isNull()) {
                throw new AudioDecodeException(name + ": out of memory opening the decoder");
            }
            DecodedStream s = new DecodedStream(file, targetRate, nat, idx);
            ok = true;
            return s;
        } finally {
            if (!ok) {
                nat.run();
            }
        }
    }

    /** @return the file being decoded */
    public Path file() {
        return file;
    }

    /** @return the output sample rate in Hz */
    public int sampleRate() {
        return targetRate;
    }

    /** @return the container's duration in seconds, or NaN when it does not say */
    public double durationSeconds() {
        return duration;
    }

    /** @return the audio stream's own sample rate in Hz (0 if unknown) */
    public int sourceSampleRate() {
        return sourceRate;
    }

    /** @return the audio stream's channel count (0 if unknown before decoding) */
    public int sourceChannels() {
        return sourceChannels;
    }

    /** @return FFmpeg's short name of the codec, e.g. {@code mp3}, {@code flac}, {@code aac} */
    public String codecName() {
        return codecName;
    }

    /** @return number of samples returned by {@link #read} so far */
    public long samplesRead() {
        return samplesOut;
    }

    /** @return number of packets the decoder rejected (skipped) so far */
    public long skippedPackets() {
        return errors;
    }

    /**
     * Reads up to {@code dst.length} samples.
     *
     * @param dst destination
     * @return the number of samples written (may be less than asked), or -1 at the end
     * @throws AudioDecodeException when nothing of the file can be decoded
     */
    public int read(float[] dst) throws AudioDecodeException {
        return read(dst, 0, dst.length);
    }

    /**
     * Reads up to {@code len} samples into {@code dst[off ..]}.
     *
     * @param dst destination
     * @param off first index to write
     * @param len maximum number of samples
     * @return the number of samples written, or -1 at the end
     * @throws AudioDecodeException when nothing of the file can be decoded
     */
    public int read(float[] dst, int off, int len) throws AudioDecodeException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (pendPos == pendLen && !fill()) {
                break;
            }
            int c = Math.min(len - n, pendLen - pendPos);
            System.arraycopy(pend, pendPos, dst, off + n, c);
            pendPos += c;
            n += c;
        }
        samplesOut += n;
        return n == 0 ? -1 : n;
    }

    /**
     * Moves to {@code seconds} from the start of the audio. The next {@link #read} returns samples from
     * that time on (to within a few milliseconds for formats whose timestamps are exact; MP3 without a
     * seek index is approximate). Seeking past the end leaves the stream at its end.
     *
     * @param seconds target time, {@code >= 0}
     * @throws AudioDecodeException when the format cannot seek; the position is then undefined
     */
    public void seekSeconds(double seconds) throws AudioDecodeException {
        ensureOpen();
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seek target must be >= 0: " + seconds);
        }
        long ts = startPts + (long) Math.floor(seconds / timeBase);
        int r = av_seek_frame(nat.fmt, streamIndex, ts, AVSEEK_FLAG_BACKWARD);
        if (r < 0) {
            r = av_seek_frame(nat.fmt, streamIndex, ts, 0);
        }
        if (r < 0) {
            if (Double.isFinite(duration) && seconds >= duration) {
                seeked = true;
                finished = true;
                pendPos = pendLen = 0;
                return;
            }
            throw new AudioDecodeException(name + ": cannot seek to " + seconds + " s (" + errorText(r) + ")");
        }
        avcodec_flush_buffers(nat.codec);
        av_packet_unref(nat.packet);
        packetHeld = false;
        nat.freeSwr();
        pendPos = pendLen = 0;
        demuxDone = false;
        decoderDone = false;
        finished = false;
        readError = 0;
        seeked = true;
        seekTarget = seconds;
        alignInputAt = -1;
        dropOut = 0;
    }

    /** Frees every native resource. Idempotent. */
    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(name + ": stream is closed");
        }
    }

    /**
     * Refills {@code pend} with at least one sample.
     *
     * @return false at the end of the stream
     */
    private boolean fill() throws AudioDecodeException {
        pendPos = 0;
        pendLen = 0;
        int idle = 0;
        boolean needPacket = false;
        while (!finished) {
            if (++idle > MAX_IDLE_TURNS) {
                throw new AudioDecodeException(name + ": decoder stopped making progress");
            }
            if (decoderDone) {
                if (nat.swr != null) {
                    flushResampler();
                    nat.freeSwr();
                }
                finished = true;
                break;
            }
            if (needPacket) {
                needPacket = false;
                if (demuxDone) {
                    // Drained input and the decoder still will not finish: give up on the tail.
                    decoderDone = true;
                } else if (readAndSend()) {
                    idle = 0;
                }
                continue;
            }
            int r = avcodec_receive_frame(nat.codec, nat.frame);
            if (r == 0) {
                idle = 0;
                framesDecoded++;
                try {
                    convertFrame();
                } finally {
                    av_frame_unref(nat.frame);
                }
                if (pendLen > 0) {
                    return true;
                }
            } else if (r == AVERROR_EOF) {
                decoderDone = true;
            } else if (r == AVERROR_EAGAIN) {
                needPacket = true;
            } else {
                noteError(r);
                needPacket = true;
            }
        }
        if (pendLen > 0) {
            return true;
        }
        if (framesDecoded == 0 && !seeked) {
            if (errors > 0 || readError != 0) {
                int cause = errors > 0 ? lastError : readError;
                throw new AudioDecodeException(name + ": no decodable audio (" + errorText(cause) + ")");
            }
            throw new AudioDecodeException(name + ": no audio samples (empty or truncated audio stream)");
        }
        return false;
    }

    /**
     * Reads the next packet of our stream and sends it to the decoder; at the end of input, puts the
     * decoder into draining mode.
     *
     * @return true when a packet went to the decoder (progress)
     */
    private boolean readAndSend() throws AudioDecodeException {
        AVPacket pkt = nat.packet;
        if (packetHeld) {
            return send(pkt);
        }
        while (true) {
            int r = av_read_frame(nat.fmt, pkt);
            if (r == AVERROR_EAGAIN && ++readRetries < MAX_IDLE_TURNS) {
                continue;
            }
            readRetries = 0;
            if (r < 0) {
                // Truncated or damaged container: keep what was decoded, as FFmpeg's CLI does.
                if (r != AVERROR_EOF) {
                    readError = r;
                }
                demuxDone = true;
                avcodec_send_packet(nat.codec, null);
                return false;
            }
            if (pkt.stream_index() != streamIndex) {
                av_packet_unref(pkt);
                continue;
            }
            return send(pkt);
        }
    }

    private boolean send(AVPacket pkt) throws AudioDecodeException {
        int s = avcodec_send_packet(nat.codec, pkt);
        if (s == AVERROR_EAGAIN) {
            // The decoder still has output (after a receive error): keep the packet for the next turn.
            packetHeld = true;
            return false;
        }
        packetHeld = false;
        av_packet_unref(pkt);
        if (s < 0) {
            noteError(s);
        }
        return true;
    }

    private void noteError(int code) throws AudioDecodeException {
        errors++;
        lastError = code;
        if (framesDecoded == 0 && errors >= MAX_ERRORS_BEFORE_FIRST_FRAME) {
            throw new AudioDecodeException(name + ": no decodable audio (" + errorText(code) + ")");
        }
    }

    /** Resamples the current frame, appending to {@code pend}. */
    private void convertFrame() throws AudioDecodeException {
        AVFrame f = nat.frame;
        int rate = f.sample_rate();
        int format = f.format();
        int channels = f.ch_layout().nb_channels();
        int n = f.nb_samples();
        if (rate <= 0 || format < 0 || channels <= 0 || n <= 0) {
            return;
        }
        if (sourceChannels == 0) {
            sourceChannels = channels;
        }
        int skipIn = 0;
        if (!Double.isNaN(seekTarget)) {
            skipIn = alignAfterSeek(f, rate, n);
            if (skipIn >= n) {
                return;
            }
        }
        if (nat.swr != null && (rate != swrRate || format != swrFormat || channels != swrChannels)) {
            // Parameters changed mid-stream (chained streams, HE-AAC): drain the old resampler first.
            flushResampler();
            nat.freeSwr();
        }
        if (nat.swr == null) {
            initResampler(f, rate, format, channels);
        }
        PointerPointer<?> input = f.extended_data();
        if (skipIn > 0) {
            input = offsetPlanes(f, format, channels, skipIn);
        }
        int inCount = n - skipIn;
        ensureOut(swr_get_out_samples(nat.swr, inCount));
        int got;
        try {
            got = swr_convert(nat.swr, nat.outPlanes, outCapacity, input, inCount);
        } finally {
            if (skipIn > 0) {
                input.deallocate();
            }
        }
        if (got < 0) {
            throw new AudioDecodeException(name + ": resampling failed (" + errorText(got) + ")");
        }
        appendOut(got);
    }

    /**
     * After a seek, finds where in this frame to start so that the output lands on the same sample grid
     * as decoding from the start: the resampler restarts at an input sample that maps to a whole output
     * sample, then the few output samples before the target are dropped.
     *
     * @return input samples of this frame to skip ({@code >= n}: skip the whole frame)
     */
    private int alignAfterSeek(AVFrame f, int rate, int n) {
        long pts = f.best_effort_timestamp();
        if (pts == AV_NOPTS_VALUE) {
            seekTarget = Double.NaN; // cannot tell where we are: start here
            return 0;
        }
        long frameStart = Math.round((pts - startPts) * timeBase * rate);
        if (alignInputAt < 0) {
            long g = gcd(rate, targetRate);
            long inStep = rate / g;
            long outStep = targetRate / g;
            long wantOut = Math.round(seekTarget * targetRate);
            long m = Math.floorDiv(wantOut, outStep);
            if (m * inStep < frameStart) {
                // The demuxer landed after the target (inexact seek): start at the next grid point.
                m = Math.floorDiv(frameStart + inStep - 1, inStep);
            }
            alignInputAt = m * inStep;
            dropOut = Math.max(0, wantOut - m * outStep);
        }
        long skip = alignInputAt - frameStart;
        if (skip >= n) {
            return n;
        }
        seekTarget = Double.NaN;
        alignInputAt = -1;
        return (int) Math.max(0, skip);
    }

    private static PointerPointer<BytePointer> offsetPlanes(AVFrame f, int format, int channels, int skip) {
        int bps = av_get_bytes_per_sample(format);
        boolean planar = av_sample_fmt_is_planar(format) != 0;
        int planes = planar ? channels : 1;
        long offset = (long) skip * bps * (planar ? 1 : channels);
        PointerPointer<BytePointer> pp = new PointerPointer<>(planes);
        for (int i = 0; i < planes; i++) {
            pp.put(i, f.extended_data(i).position(offset));
        }
        return pp;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private void initResampler(AVFrame f, int rate, int format, int channels) throws AudioDecodeException {
        AVChannelLayout in = new AVChannelLayout();
        AVChannelLayout out = new AVChannelLayout();
        try {
            if (f.ch_layout().order() == AV_CHANNEL_ORDER_UNSPEC || av_channel_layout_check(f.ch_layout()) == 0) {
                av_channel_layout_default(in, channels);
            } else if (av_channel_layout_copy(in, f.ch_layout()) < 0) {
                av_channel_layout_default(in, channels);
            }
            av_channel_layout_default(out, 1);
            SwrContext swr = new SwrContext(null);
            int r = swr_alloc_set_opts2(swr, out, AV_SAMPLE_FMT_FLT, targetRate, in, format, rate, 0, null);
            if (r < 0 || swr.isNull()) {
                throw new AudioDecodeException(name + ": cannot set up resampling (" + errorText(r) + ")");
            }
            nat.swr = swr;
            if (channels > 1) {
                // Plain mean of the channels, as librosa.to_mono; FFmpeg's default downmix is louder.
                double[] matrix = new double[channels];
                Arrays.fill(matrix, 1.0 / channels);
                r = swr_set_matrix(swr, matrix, channels);
                if (r < 0) {
                    throw new AudioDecodeException(name + ": cannot set up downmix (" + errorText(r) + ")");
                }
            }
            r = swr_init(swr);
            if (r < 0) {
                throw new AudioDecodeException(name + ": cannot set up resampling (" + errorText(r) + ")");
            }
            swrRate = rate;
            swrFormat = format;
            swrChannels = channels;
        } finally {
            av_channel_layout_uninit(in);
            av_channel_layout_uninit(out);
            in.deallocate();
            out.deallocate();
        }
    }

    /** Drains the resampler's delayed samples into {@code pend}. */
    private void flushResampler() throws AudioDecodeException {
        for (int guard = 0; guard < 1000; guard++) {
            ensureOut(Math.max(4096, swr_get_out_samples(nat.swr, 0)));
            int got = swr_convert(nat.swr, nat.outPlanes, outCapacity, (PointerPointer<?>) null, 0);
            if (got < 0) {
                throw new AudioDecodeException(name + ": resampling failed (" + errorText(got) + ")");
            }
            if (got == 0) {
                return;
            }
            appendOut(got);
        }
    }

    private void ensureOut(int samples) {
        if (samples <= outCapacity && nat.out != null) {
            return;
        }
        int cap = Math.max(samples, Math.max(4096, outCapacity * 2));
        if (nat.out != null) {
            nat.outPlanes.deallocate();
            nat.out.deallocate();
        }
        nat.out = new FloatPointer(cap);
        // Not new PointerPointer(out): that one-argument constructor is a cast, not a one-element array.
        nat.outPlanes = new PointerPointer<FloatPointer>(1).put(0, nat.out);
        outCapacity = cap;
    }

    private void appendOut(int got) {
        int skip = (int) Math.min(dropOut, got);
        dropOut -= skip;
        got -= skip;
        if (got == 0) {
            return;
        }
        if (pendLen + got > pend.length) {
            pend = Arrays.copyOf(pend, Math.max(pendLen + got, pend.length * 2));
        }
        nat.out.position(skip).get(pend, pendLen, got);
        nat.out.position(0);
        pendLen += got;
    }

    private static String noStreamReason(AVFormatContext fmt) {
        if (fmt.nb_streams() == 0) {
            return "not an audio file (no streams found)";
        }
        for (int i = 0; i < fmt.nb_streams(); i++) {
            if (fmt.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                return "not an audio file (audio stream without usable parameters)";
            }
        }
        return "no audio stream";
    }

    static String openError(int r) {
        if (r == AVERROR_INVALIDDATA || r == AVERROR_EOF) {
            return "not an audio file (" + errorText(r) + ")";
        }
        if (r == AVERROR_EACCES) {
            return "permission denied";
        }
        if (r == AVERROR_ENOENT) {
            return "file not found";
        }
        return "cannot open (" + errorText(r) + ")";
    }

    static String errorText(int code) {
        byte[] b = new byte[256];
        if (av_strerror(code, b, b.length) < 0) {
            return "error " + code;
        }
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** The path as the bytes the OS knows it by, NUL-terminated; absolute, so never read as a URL. */
    static BytePointer pathBytes(Path file) {
        String enc = System.getProperty("sun.jnu.encoding");
        Charset cs;
        try {
            cs = enc != null ? Charset.forName(enc) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            cs = Charset.defaultCharset();
        }
        byte[] b = file.toAbsolutePath().toString().getBytes(cs);
        BytePointer p = new BytePointer(b.length + 1L);
        p.put(b, 0, b.length);
        p.put(b.length, (byte) 0);
        return p;
    }
}
