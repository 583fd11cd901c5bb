package org.genretagger.trainer.augment;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set_int;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Band-limited resampling of an in-memory mono float signal with FFmpeg's libswresample.
 *
 * <p>Why swr rather than our own sinc: it is a maintained polyphase Kaiser-windowed sinc resampler
 * that already ships with the plugin (JavaCPP FFmpeg), so no extra dependency and no home-grown
 * filter design to get wrong. The whole array goes through one {@code swr_convert} call and a flush.
 * A fresh context per call keeps it thread-safe; building one costs microseconds.
 */
final class SwrResampler {
    /** Taps per phase: twice swr's default (32) for a steeper anti-alias filter; still cheap. */
    private static final int FILTER_SIZE = 64;

    private SwrResampler() {}

    /**
     * Resamples {@code x} from {@code inRate} to {@code outRate}; the output keeps the input's time
     * alignment (sample 0 stays at time 0) and has about {@code x.length * outRate / inRate} samples.
     */
    static float[] resample(float[] x, int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
        }
        if (inRate == outRate || x.length == 0) {
            return x.clone();
        }
        AVChannelLayout mono = new AVChannelLayout();
        av_channel_layout_default(mono, 1);
        // swr_alloc_set_opts2 reuses *ps when non-null: the slot must start out null.
        PointerPointer<SwrContext> ctxp = new PointerPointer<SwrContext>(1).put(0, (Pointer) null);
        try {
            check(swr_alloc_set_opts2(ctxp, mono, AV_SAMPLE_FMT_FLT, outRate, mono, AV_SAMPLE_FMT_FLT, inRate, 0, null),
                    "swr_alloc_set_opts2");
            SwrContext ctx = ctxp.get(SwrContext.class, 0);
            check(av_opt_set_int(ctx, "filter_size", FILTER_SIZE, 0), "filter_size");
            check(av_opt_set_int(ctx, "linear_interp", 1, 0), "linear_interp");
            check(swr_init(ctx), "swr_init");

            long expected = (long) x.length * outRate / inRate;
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, expected + 2L * FILTER_SIZE + 256);
            float[] out = new float[capacity];
            int written;
            try (FloatPointer in = new FloatPointer(x);
                    FloatPointer outBuf = new FloatPointer(capacity);
                    PointerPointer<FloatPointer> inp = planes(in);
                    PointerPointer<FloatPointer> outp = planes(outBuf)) {
                written = check(swr_convert(ctx, outp, capacity, inp, x.length), "swr_convert");
                outBuf.get(out, 0, written);
            }
            // Flush what the filter still holds (the last half filter length of input).
            try (FloatPointer tail = new FloatPointer(4096);
                    PointerPointer<FloatPointer> tailp = planes(tail)) {
                int n;
                while (written < capacity
                        && (n = check(swr_convert(ctx, tailp, Math.min(4096, capacity - written), (PointerPointer<?>) null, 0),
                                "swr_convert flush")) > 0) {
                    tail.get(out, written, n);
                    written += n;
                }
            }
            return Arrays.copyOf(out, written);
        } finally {
            swr_free(ctxp); // frees the context (if any) and nulls the pointer
            ctxp.close();
            av_channel_layout_uninit(mono);
            mono.close();
        }
    }

    /** A one-plane {@code uint8_t**}. (Not {@code new PointerPointer(p)}: that one is a cast.) */
    private static PointerPointer<FloatPointer> planes(FloatPointer p) {
        return new PointerPointer<FloatPointer>(1).put(0, p);
    }

    private static int check(int ret, String what) {
        if (ret < 0) {
            byte[] msg = new byte[256];
            av_strerror(ret, msg, msg.length);
            int len = 0;
            while (len < msg.length && msg[len] != 0) {
                len++;
            }
            String text = new String(msg, 0, len, StandardCharsets.UTF_8);
            throw new IllegalStateException("FFmpeg resampler failed in " + what + ": " + text + " (" + ret + ")");
        }
        return ret;
    }
}
