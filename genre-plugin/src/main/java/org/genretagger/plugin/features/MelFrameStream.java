package org.genretagger.plugin.features;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Streaming mel spectrogram: accepts samples in chunks of any size and hands each mel power frame to a
 * consumer as soon as its window is complete. The frames are exactly those of {@link LogMel#melPower}
 * on the concatenated samples (librosa's {@code center=True}, padding of {@code nFft/2} on both ends,
 * zeros or reflected samples), and memory stays bounded by one window whatever the length of the input.
 *
 * <p>Not thread-safe: one stream per thread. The {@code float[]} passed to the consumer is reused for
 * the next frame; copy it if you keep it. Nothing is allocated per frame.
 */
public final class MelFrameStream {

    /** Receives mel power frames in order. */
    @FunctionalInterface
    public interface FrameConsumer {
        /**
         * @param frameIndex 0-based frame index (frame t is centred on sample {@code t * hopLength})
         * @param melPower {@code nMels} power values; reused after this call returns
         */
        void accept(long frameIndex, float[] melPower);
    }

    private final int nFft;
    private final int hop;
    private final MelFilterBank bank;
    private final double[] window;
    private final FrameConsumer consumer;
    private final DoubleFFT_1D fft;

    // Window of the zero-padded signal: buf[0 .. fill) are padded samples [frame*hop, frame*hop + fill).
    private final float[] buf;
    private int fill;
    // Samples still to drop before the next window starts (only when hop > nFft).
    private long skip;
    private final double[] fftBuf;
    private final double[] power;
    private final float[] mel;

    // Pre-emphasis: the previous input sample, and a scratch buffer for the filtered chunk.
    private final float preEmphasis;
    private boolean hasPrevious;
    private float previous;
    private float[] emphasised = new float[0];

    private long samplesPushed;
    private long framesEmitted;
    private boolean finished;
    private java.util.function.LongPredicate wanted;

    // Reflect padding: the first half + 1 samples are held until the leading pad can be built from
    // them, and the last half + 1 are remembered for the trailing pad.
    private final boolean reflect;
    private float[] head;
    private int headFill;
    private final float[] tail;
    private int tailPos;

    MelFrameStream(MelParameters p, MelFilterBank bank, double[] window, FrameConsumer consumer) {
        if (consumer == null) {
            throw new NullPointerException("consumer");
        }
        this.nFft = p.nFft();
        this.hop = p.hopLength();
        this.bank = bank;
        this.window = window;
        this.consumer = consumer;
        this.fft = new DoubleFFT_1D(nFft);
        this.buf = new float[nFft];
        this.reflect = p.reflectPad();
        this.fill = reflect ? 0 : nFft / 2; // the leading zero padding
        this.head = reflect ? new float[nFft / 2 + 1] : null;
        this.tail = reflect ? new float[nFft / 2 + 1] : null;
        this.fftBuf = new double[nFft];
        this.power = new double[nFft / 2 + 1];
        this.mel = new float[bank.nMels()];
        this.preEmphasis = (float) p.preEmphasis();
    }

    /**
     * Adds samples; emits every frame that becomes complete.
     *
     * @param src sample buffer
     * @param off first sample to use
     * @param len number of samples
     * @throws IllegalStateException after {@link #finish()}
     */
    public void push(float[] src, int off, int len) {
        if (finished) {
            throw new IllegalStateException("stream already finished");
        }
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        if (preEmphasis > 0) {
            // y[n] = x[n+1] - a x[n]: the signal the STFT sees starts one sample late.
            if (emphasised.length < len) {
                emphasised = new float[len];
            }
            int n = 0;
            for (int i = 0; i < len; i++) {
                float x = src[off + i];
                if (hasPrevious) {
                    emphasised[n++] = x - preEmphasis * previous;
                }
                previous = x;
                hasPrevious = true;
            }
            src = emphasised;
            off = 0;
            len = n;
        }
        samplesPushed += len;
        if (!reflect) {
            feed(src, off, len);
            return;
        }
        remember(src, off, len);
        if (head != null) {
            int n = Math.min(len, head.length - headFill);
            System.arraycopy(src, off, head, headFill, n);
            headFill += n;
            off += n;
            len -= n;
            if (headFill < head.length) {
                return;
            }
            feedReflected(head, headFill, true);
            feed(head, 0, headFill);
            head = null;
        }
        feed(src, off, len);
    }

    /** Keeps the last {@code tail.length} samples in a ring. */
    private void remember(float[] src, int off, int len) {
        int start = Math.max(0, len - tail.length);
        for (int i = start; i < len; i++) {
            tail[tailPos] = src[off + i];
            tailPos = (tailPos + 1) % tail.length;
        }
    }

    /**
     * Feeds the leading or trailing reflect pad built from {@code x[0 .. n)}, the signal's first (or
     * last) samples in order: numpy's {@code np.pad(mode='reflect')}, folding again when the signal is
     * shorter than the pad.
     */
    private void feedReflected(float[] x, int n, boolean leading) {
        int half = nFft / 2;
        float[] pad = new float[half];
        for (int j = 0; j < half; j++) {
            // Distance from the edge sample, reflected back and forth over a period of 2(n - 1).
            int d = leading ? half - j : j + 1;
            int period = 2 * (n - 1);
            int k = period == 0 ? 0 : d % period;
            if (k >= n) {
                k = period - k;
            }
            pad[j] = leading ? x[k] : x[n - 1 - k];
        }
        feed(pad, 0, half);
    }

    /**
     * Adds all of {@code src}.
     *
     * @param src samples
     */
    public void push(float[] src) {
        push(src, 0, src.length);
    }

    /**
     * Applies the trailing zero padding and emits the remaining frames, so that in total
     * {@code 1 + samplesPushed / hopLength} frames have been emitted. Idempotent.
     */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (reflect) {
            if (samplesPushed == 0) {
                return;
            }
            if (head != null) {
                // Shorter than the pad: the held samples are the whole signal.
                feedReflected(head, headFill, true);
                feed(head, 0, headFill);
                feedReflected(head, headFill, false);
                head = null;
                return;
            }
            float[] last = new float[tail.length];
            for (int i = 0; i < tail.length; i++) {
                last[i] = tail[(tailPos + i) % tail.length];
            }
            feedReflected(last, last.length, false);
            return;
        }
        int zeros = nFft / 2;
        float[] z = new float[Math.min(zeros, 4096)];
        while (zeros > 0) {
            int n = Math.min(zeros, z.length);
            feed(z, 0, n);
            zeros -= n;
        }
    }

    /**
     * Limits the work to the frames a caller needs: a frame the predicate rejects is counted but
     * never transformed nor handed to the consumer. The predicate is asked once per frame, in
     * increasing frame order. The frames that are computed are exactly those of an unfiltered stream.
     *
     * @param wanted which frame indices to compute; {@code null} for all
     */
    public void onlyFrames(java.util.function.LongPredicate wanted) {
        this.wanted = wanted;
    }

    /** @return number of real samples pushed so far (after pre-emphasis, one fewer) */
    public long samplesPushed() {
        return samplesPushed;
    }

    /** @return number of frames passed so far: handed to the consumer, or skipped as not wanted */
    public long framesEmitted() {
        return framesEmitted;
    }

    private void feed(float[] src, int off, int len) {
        while (len > 0) {
            if (skip > 0) {
                int s = (int) Math.min(skip, len);
                skip -= s;
                off += s;
                len -= s;
                continue;
            }
            int n = Math.min(len, nFft - fill);
            System.arraycopy(src, off, buf, fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill == nFft) {
                emit();
                if (hop < nFft) {
                    System.arraycopy(buf, hop, buf, 0, nFft - hop);
                    fill = nFft - hop;
                } else {
                    fill = 0;
                    skip = hop - nFft;
                }
            }
        }
    }

    private void emit() {
        if (wanted != null && !wanted.test(framesEmitted)) {
            framesEmitted++;
            return;
        }
        double[] a = fftBuf;
        for (int i = 0; i < nFft; i++) {
            a[i] = window[i] * buf[i];
        }
        fft.realForward(a);
        // JTransforms packing: a[0]=Re0, a[1]=Re(n/2), a[2k]=Re k, a[2k+1]=Im k.
        int half = nFft / 2;
        power[0] = a[0] * a[0];
        power[half] = a[1] * a[1];
        for (int k = 1; k < half; k++) {
            double re = a[2 * k];
            double im = a[2 * k + 1];
            power[k] = re * re + im * im;
        }
        bank.apply(power, mel);
        consumer.accept(framesEmitted++, mel);
    }
}
