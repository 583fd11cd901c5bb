package org.genretagger.plugin.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.WindowPrediction;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.audio.DecodedStream;
import org.genretagger.plugin.features.LogMel;
import org.genretagger.plugin.features.MelFrameStream;
import org.genretagger.plugin.features.MelParameters;
import org.genretagger.plugin.model.EngineOptions;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.WindowNormaliser;

/**
 * Listens to one track: streams the decode through the log-mel front end, cuts the windows the
 * plan asks for and hands them to the shared {@link WindowBatcher}, which runs them through the
 * model in batches together with other tracks' windows; the window probabilities are then combined
 * into a ranked verdict.
 *
 * <p>Only the frames inside planned windows are transformed. When a sample of windows is asked for
 * and no digest of the whole audio is needed, the decoder seeks to each window instead of decoding
 * the whole track, for codecs whose seeking lands on (or within a frame hop of) the requested
 * sample. Memory stays bounded whatever the track's length: one window of frames per track and the
 * batcher's bounded queue. Thread-safe: each call has its own buffers.
 */
public final class TrackAnalyzer {
    /** Most windows per forward pass. */
    static final int BATCH = 32;
    /**
     * Most input values per forward pass: MXNet keeps memory for every batch shape it has seen, in
     * proportion to the batch's size, so long windows (EfficientAT's 10 s, 128k values) go in
     * batches of 8 and short ones (musicnn's 3 s, 18k values) in batches of 32.
     */
    static final int BATCH_VALUES = 1 << 20;
    static final int READ_CHUNK = 16384;
    /**
     * Frames decoded before a window after a seek and thrown away: the first two would hold the
     * STFT's zero padding, the rest let the decoder and resampler settle.
     */
    static final int SEEK_PREROLL_FRAMES = 12;
    /** {@code -Dgenretagger.seek=false} never seeks (decodes every track whole), for comparisons. */
    private static final boolean SEEK = EngineOptions.current().seek();
    /** {@code -Dgenretagger.crossTrackBatching=false} batches each track's windows on their own, for comparisons. */
    private static final boolean CROSS_TRACK = EngineOptions.current().crossTrackBatching();
    /**
     * Codecs whose seeks land on the requested sample (FLAC, ALAC, PCM, Vorbis: sample-exact in the
     * decoder tests) or within one hop of it (MP3, about 18 ms, less than the 23 ms frame hop).
     */
    private static final Set<String> SEEKABLE = Set.of("flac", "alac", "vorbis", "mp3", "wavpack");

    private final GenreModel model;
    private final ModelConfig config;
    private final LogMel logMel;
    /** The companion base's front end, or null. */
    private final LogMel companionLogMel;
    private final List<String> genreNames;
    private final WindowBatcher batcher;

    /**
     * @param model the model, whose config gives every feature and window parameter
     */
    public TrackAnalyzer(GenreModel model) {
        this.model = model;
        this.config = model.config();
        this.logMel = new LogMel(melParameters(config));
        this.companionLogMel = config.companion != null ? new LogMel(melParameters(config.companion)) : null;
        this.genreNames = config.genres;
        int size = config.inputSize();
        this.batcher = new WindowBatcher(model, size, Math.max(4, Math.min(BATCH, BATCH_VALUES / size)));
    }

    /**
     * @param config a model config
     * @return the log-mel parameters it was trained with
     */
    public static MelParameters melParameters(ModelConfig config) {
        return new MelParameters(config.sampleRate, config.nFft, config.hopLength, config.nMels, config.fmin,
                config.fmax > 0 ? config.fmax : null, config.reflectPad, config.winLength, config.symmetricWindow,
                config.melScale, config.preEmphasis);
    }

    /** @return the model this analyzer runs */
    public GenreModel model() {
        return model;
    }

    /**
     * Classifies a track, seeking to the sampled windows where the format allows: for callers that
     * write nothing.
     *
     * @param file the track
     * @param analysis how many windows; {@code null} for the model's default
     * @param times where to add time per stage; may be null
     * @return the ranked verdict
     * @throws ClassificationException naming the file and the cause
     */
    public TrackPrediction analyze(Path file, Analysis analysis, StageTimes times) throws ClassificationException {
        return analyzeTrack(file, analysis, times, Long.MAX_VALUE, true).prediction();
    }

    /**
     * A verdict and a digest of the decoded audio it heard, so a later tag write can prove the
     * audio survived without decoding the original twice.
     *
     * @param prediction the ranked verdict
     * @param audio digest of every decoded sample; {@code null} when not asked for (or the track was
     *     not decoded whole)
     * @param embeddings the network's embedding of each window, in window order, when asked for;
     *     else {@code null}
     */
    public record Analyzed(TrackPrediction prediction, AudioDigest audio, float[][] embeddings) {
        /** A verdict without embeddings. */
        public Analyzed(TrackPrediction prediction, AudioDigest audio) {
            this(prediction, audio, null);
        }
    }

    /**
     * Classifies a track, decoding all of it, and digests its audio: for callers that go on to
     * write tags, whose verification needs the digest. Only the frames of the planned windows are
     * transformed.
     *
     * @param file the track
     * @param analysis how many windows; {@code null} for the model's default
     * @param times where to add time per stage; may be null
     * @param deadlineNanos {@link System#nanoTime()} after which the track is given up
     * @return the verdict and the audio digest
     * @throws ClassificationException naming the file and the cause
     */
    public Analyzed analyzeTrack(Path file, Analysis analysis, StageTimes times, long deadlineNanos)
            throws ClassificationException {
        return analyzeTrack(file, analysis, times, deadlineNanos, false);
    }

    /**
     * @param file the track
     * @param analysis how many windows; {@code null} for the model's default
     * @param times where to add time per stage; may be null
     * @param deadlineNanos {@link System#nanoTime()} after which the track is given up
     * @param seek whether the digest of the decoded audio is not needed, so that a sampled analysis
     *     may seek to its windows instead of decoding the whole track (on a 4-minute MP3 a sample of
     *     8 windows then costs a sixth of a whole decode): a dry run, a classification, or a write
     *     that proves the audio unchanged by its packets. Only a write verified by decoding wants
     *     the digest, which saves the writer decoding the original again.
     * @return the verdict and the audio digest (null when {@code seek})
     * @throws ClassificationException naming the file and the cause
     */
    public Analyzed analyzeTrack(Path file, Analysis analysis, StageTimes times, long deadlineNanos, boolean seek)
            throws ClassificationException {
        return analyzeTrack(file, analysis, times, deadlineNanos, seek, false);
    }

    /**
     * Like {@link #analyzeTrack(Path, Analysis, StageTimes, long, boolean)}, also giving each
     * window's embedding from the same pass (for learning a user's genres, and for classifying
     * with what was learned).
     *
     * @param file the track
     * @param analysis how many windows; {@code null} for the model's default
     * @param times where to add time per stage; may be null
     * @param deadlineNanos {@link System#nanoTime()} after which the track is given up
     * @param seek whether a sampled analysis may seek to its windows
     * @param embeddings whether to return the windows' embeddings too
     * @return the verdict, the audio digest (null when it sought) and the embeddings if asked for
     * @throws ClassificationException naming the file and the cause
     */
    public Analyzed analyzeTrack(Path file, Analysis analysis, StageTimes times, long deadlineNanos, boolean seek,
            boolean embeddings) throws ClassificationException {
        int sample = analysis != null ? analysis.sampleWindows() : config.defaultSampleWindows;
        StageTimes t = times != null ? times : new StageTimes();
        try {
            try (DecodedStream in = AudioDecoder.open(file, config.sampleRate)) {
                int[] plan = plan(in.durationSeconds(), sample);
                if (seek && SEEK && plan != null && seeksWell(in)) {
                    Analyzed a = bySeeking(in, file, plan, t, deadlineNanos, embeddings);
                    if (a != null) {
                        return a;
                    }
                } else {
                    Pass pass = decodeWhole(in, file, plan, !seek, t, deadlineNanos, embeddings);
                    if (pass.run.complete()) {
                        return pass.run.analyzed(file, pass.seconds, pass.digest);
                    }
                    // The container's duration misled the plan: plan again on the true length.
                    plan = WindowPlan.starts(pass.run.frames, config.windowFrames, config.windowHopFrames, sample);
                    AudioDigest d = pass.digest;
                    try (DecodedStream again = AudioDecoder.open(file, config.sampleRate)) {
                        Pass second = decodeWhole(again, file, plan, false, t, deadlineNanos, embeddings);
                        second.run.requireComplete(file);
                        return second.run.analyzed(file, second.seconds, d);
                    }
                }
            }
            // Seeking did not work out: decode everything.
            try (DecodedStream in = AudioDecoder.open(file, config.sampleRate)) {
                Pass pass = decodeWhole(in, file, null, false, t, deadlineNanos, embeddings);
                int[] plan = WindowPlan.starts(pass.run.frames, config.windowFrames, config.windowHopFrames, sample);
                if (sample > 0 && plan.length < pass.run.windowCount()) {
                    // Should not happen (seeking only fails on odd files); keep the sample the caller asked for.
                    try (DecodedStream again = AudioDecoder.open(file, config.sampleRate)) {
                        pass = decodeWhole(again, file, plan, false, t, deadlineNanos, embeddings);
                    }
                }
                pass.run.requireComplete(file);
                return pass.run.analyzed(file, pass.seconds, null);
            }
        } catch (IOException e) {
            throw new ClassificationException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            // The companion base's decode, from inside a frame callback.
            throw new ClassificationException(e.getCause().getMessage(), e);
        } catch (ClassificationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ClassificationException(file.getFileName() + ": " + e, e);
        }
    }

    /**
     * @param durationSeconds the container's duration
     * @param sample windows asked for, 0 for all
     * @return the window starts, or null for every window (full analysis, or unknown length)
     */
    private int[] plan(double durationSeconds, int sample) {
        if (sample > 0 && Double.isFinite(durationSeconds) && durationSeconds > 0) {
            long expected = 1 + (long) (durationSeconds * config.sampleRate) / config.hopLength;
            return WindowPlan.starts(expected, config.windowFrames, config.windowHopFrames, sample);
        }
        return null;
    }

    static boolean seeksWell(DecodedStream in) {
        String codec = in.codecName().toLowerCase(Locale.ROOT);
        return SEEKABLE.contains(codec) || codec.startsWith("pcm_");
    }

    private record Pass(Run run, AudioDigest digest, double seconds) {}

    /** Decodes the whole stream, transforming only the frames of planned windows (all when plan is null). */
    private Pass decodeWhole(DecodedStream in, Path file, int[] plan, boolean digest, StageTimes t, long deadlineNanos,
            boolean embeddings) throws IOException, ClassificationException {
        Run run = new Run(file, plan, t, embeddings);
        MelFrameStream frames = logMel.stream(run::accept);
        if (plan != null) {
            frames.onlyFrames(new PlanFilter(plan, config.windowFrames));
        }
        AudioDigest.Builder d = digest ? new AudioDigest.Builder() : null;
        float[] buf = new float[READ_CHUNK];
        long samples = 0;
        try {
            while (true) {
                long t0 = System.nanoTime();
                int n = in.read(buf);
                long t1 = System.nanoTime();
                t.add(StageTimes.Stage.DECODE, t1 - t0);
                if (n < 0) {
                    break;
                }
                if (t1 > deadlineNanos) {
                    throw new ClassificationException(file.getFileName() + ": gave up, decoding took too long");
                }
                if (d != null) {
                    d.update(buf, n);
                }
                samples += n;
                run.inferenceNanos = 0;
                frames.push(buf, 0, n);
                t.add(StageTimes.Stage.FEATURES, System.nanoTime() - t1 - run.inferenceNanos);
            }
            if (samples == 0) {
                throw new ClassificationException(file.getFileName() + ": no audio samples decoded");
            }
            long t2 = System.nanoTime();
            run.inferenceNanos = 0;
            frames.finish();
            t.add(StageTimes.Stage.FEATURES, System.nanoTime() - t2 - run.inferenceNanos);
            run.finish(frames.framesEmitted());
        } catch (ClassificationException | IOException | RuntimeException e) {
            run.batcher.cancel(run);
            throw e;
        } finally {
            run.closeCompanion();
        }
        return new Pass(run, d != null ? d.build() : null, (double) samples / config.sampleRate);
    }

    /**
     * Seeks to each planned window and decodes just it (with a short pre-roll).
     *
     * @return the verdict, or null when a window could not be reached (then decode everything)
     */
    private Analyzed bySeeking(DecodedStream in, Path file, int[] plan, StageTimes t, long deadlineNanos,
            boolean embeddings) throws IOException, ClassificationException {
        Run run = new Run(file, plan, t, embeddings);
        int wf = config.windowFrames;
        int hop = config.hopLength;
        float[] buf = new float[READ_CHUNK];
        try {
            for (int s : plan) {
                // A fresh stream's frame k is centred on its k-th hop; starting it `pre` frames early
                // makes its frame k the track's frame first + k, exact from k = nFft / 2 / hop on.
                int pre = Math.min(s, SEEK_PREROLL_FRAMES + (config.nFft / 2 + hop - 1) / hop);
                int first = s - pre;
                long t0 = System.nanoTime();
                in.seekSeconds((double) first * hop / config.sampleRate);
                t.add(StageTimes.Stage.DECODE, System.nanoTime() - t0);
                int[] done = {0};
                MelFrameStream frames = logMel.stream((k, mel) -> {
                    run.acceptAt(first + k, mel);
                    done[0]++;
                });
                frames.onlyFrames(k -> k >= pre && k < pre + wf);
                boolean ended = false;
                while (done[0] < wf) {
                    long a = System.nanoTime();
                    int n = in.read(buf);
                    long b = System.nanoTime();
                    t.add(StageTimes.Stage.DECODE, b - a);
                    if (b > deadlineNanos) {
                        throw new ClassificationException(file.getFileName() + ": gave up, decoding took too long");
                    }
                    if (n < 0) {
                        ended = true;
                        break;
                    }
                    run.inferenceNanos = 0;
                    frames.push(buf, 0, n);
                    t.add(StageTimes.Stage.FEATURES, System.nanoTime() - b - run.inferenceNanos);
                }
                if (ended) {
                    long a = System.nanoTime();
                    run.inferenceNanos = 0;
                    frames.finish();
                    t.add(StageTimes.Stage.FEATURES, System.nanoTime() - a - run.inferenceNanos);
                }
                if (done[0] < wf) {
                    // The track ends before the window does: the container's duration was wrong.
                    run.batcher.cancel(run);
                    return null;
                }
            }
            run.finishSeeking();
        } catch (org.genretagger.plugin.audio.AudioDecodeException e) {
            run.batcher.cancel(run);
            return null;
        } catch (ClassificationException | IOException | RuntimeException e) {
            run.batcher.cancel(run);
            throw e;
        } finally {
            run.closeCompanion();
        }
        double seconds = Double.isFinite(in.durationSeconds()) ? in.durationSeconds() : 0;
        return run.analyzed(file, seconds, null);
    }

    /** Accepts frames inside planned windows; asked in increasing frame order. */
    private static final class PlanFilter implements java.util.function.LongPredicate {
        private final int[] starts;
        private final int wf;
        private int j;

        PlanFilter(int[] starts, int wf) {
            this.starts = starts;
            this.wf = wf;
        }

        @Override
        public boolean test(long frame) {
            while (j < starts.length && starts[j] + (long) wf <= frame) {
                j++;
            }
            return j < starts.length && starts[j] <= frame;
        }
    }

    /** The state of one track's analysis: recent frames, the window plan and the results. */
    private final class Run implements WindowBatcher.Sink {
        /** The shared batcher, or (for comparisons, {@code -Dgenretagger.crossTrackBatching=false}) one of its own. */
        final WindowBatcher batcher = CROSS_TRACK ? TrackAnalyzer.this.batcher
                : new WindowBatcher(model, config.inputSize(), BATCH);
        private final int wf = config.windowFrames;
        private final int nMels = config.nMels;
        private final StageTimes times;
        private final float[][] ring;
        private final float[][] window;
        private final int[] starts;
        private int nextStart;
        private long lastFrame = -1;
        private int queued;
        private int delivered;
        private long frames;
        private final List<WindowPrediction> timeline = new ArrayList<>();
        private final List<float[]> results = new ArrayList<>();
        private final List<Integer> resultStarts = new ArrayList<>();
        private boolean failed;
        /** Window embeddings by start, when asked for; else null. */
        private final java.util.Map<Integer, float[]> embeddings;
        /** Time the current push spent in (or waiting for) inference, which is not feature time. */
        long inferenceNanos;

        /** The companion base's patches of this track, or null. */
        private final CompanionPatches companion;

        /**
         * @param file the track
         * @param starts planned window starts, or null for every hop
         */
        Run(Path file, int[] starts, StageTimes times, boolean embeddings) {
            this.companion = companionLogMel == null ? null
                    : new CompanionPatches(file, config, companionLogMel, SEEK);
            this.embeddings = embeddings ? new java.util.TreeMap<>() : null;
            this.starts = starts;
            this.times = times;
            ring = new float[wf][nMels];
            window = new float[wf][];
        }

        @Override
        public StageTimes times() {
            return times;
        }

        @Override
        public synchronized int outstanding() {
            return queued - delivered;
        }

        @Override
        public boolean wantsEmbeddings() {
            return embeddings != null;
        }

        @Override
        public synchronized void deliverEmbedding(int start, float[] embedding) {
            embeddings.put(start, embedding);
        }

        /** The verdict, with the embeddings in window order if they were asked for. */
        Analyzed analyzed(Path file, double seconds, AudioDigest digest) throws ClassificationException {
            TrackPrediction p = prediction(file, seconds);
            synchronized (this) {
                return new Analyzed(p, digest, embeddings == null ? null : embeddings.values().toArray(float[][]::new));
            }
        }

        @Override
        public synchronized void deliver(int start, float[] probabilities) {
            delivered++;
            if (probabilities == null) {
                failed = true;
                return;
            }
            results.add(probabilities);
            resultStarts.add(start);
        }

        /** A frame of a whole-track pass: frames arrive in order, those outside windows may be missing. */
        void accept(long index, float[] frame) {
            acceptAt(index, frame);
        }

        /** A frame at a known index of the track. */
        void acceptAt(long index, float[] frame) {
            System.arraycopy(frame, 0, ring[(int) (index % wf)], 0, nMels);
            lastFrame = index;
            long start = index - wf + 1;
            if (start < 0) {
                return;
            }
            if (starts == null) {
                if (start % config.windowHopFrames == 0) {
                    emit(start, wf);
                }
                return;
            }
            while (nextStart < starts.length && starts[nextStart] < start) {
                nextStart++; // a start whose frames were not all seen (never in a whole pass)
            }
            while (nextStart < starts.length && starts[nextStart] == start) {
                nextStart++;
                emit(start, wf);
            }
        }

        /** Queues the window of {@code available} frames ending at the newest one; pads a short track with silence. */
        private void emit(long start, int available) {
            for (int i = 0; i < wf; i++) {
                long f = lastFrame - available + 1 + i;
                window[i] = i < available ? ring[(int) (f % wf)] : new float[nMels];
            }
            float[] out = batcher.buffer();
            WindowNormaliser.normalise(config, window, 0, wf, out, 0);
            if (companion != null) {
                try {
                    companion.write(start, out, 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            synchronized (this) {
                queued++;
            }
            inferenceNanos += batcher.submit(this, (int) start, out);
        }

        /** End of a whole-track pass with {@code total} frames. */
        void finish(long total) {
            frames = total;
            if (queued == 0 && total < wf && (starts == null || (starts.length == 1 && starts[0] == 0))) {
                // Shorter than one window: its frames, padded with silence.
                emit(0, (int) total);
            }
            batcher.await(this);
        }

        void closeCompanion() {
            if (companion != null) {
                companion.close();
            }
        }

        void finishSeeking() {
            batcher.await(this);
        }

        /** @return whether every planned window was classified (always, for a full analysis with a window) */
        boolean complete() {
            return queued > 0 && (starts == null || queued == starts.length);
        }

        void requireComplete(Path file) throws ClassificationException {
            if (queued == 0) {
                throw new ClassificationException(file.getFileName() + ": no audio samples decoded");
            }
        }

        int windowCount() {
            return queued;
        }

        TrackPrediction prediction(Path file, double seconds) throws ClassificationException {
            int n;
            Integer[] byStart;
            synchronized (this) {
                if (failed) {
                    throw new ClassificationException(file.getFileName() + ": inference failed");
                }
                n = results.size();
                byStart = new Integer[n];
                for (int i = 0; i < n; i++) {
                    byStart[i] = i;
                }
                Arrays.sort(byStart, (a, b) -> Integer.compare(resultStarts.get(a), resultStarts.get(b)));
            }
            if (n == 0) {
                throw new ClassificationException(file.getFileName() + ": no audio samples decoded");
            }
            double[] sum = new double[config.numClasses()];
            for (int i : byStart) {
                float[] probs = results.get(i);
                List<Double> p = new ArrayList<>(probs.length);
                for (int k = 0; k < probs.length; k++) {
                    p.add((double) probs[k]);
                    sum[k] += probs[k];
                }
                timeline.add(new WindowPrediction((double) resultStarts.get(i) * config.hopLength / config.sampleRate, p));
            }
            return new TrackPrediction(file, Verdict.rank(sum, n, genreNames, config.labels), seconds, timeline);
        }
    }
}
