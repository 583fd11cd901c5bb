package org.genretagger.plugin.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.GenreScore;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.WindowPrediction;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.audio.DecodedStream;
import org.genretagger.plugin.features.LogMel;
import org.genretagger.plugin.features.MelFrameStream;
import org.genretagger.plugin.features.MelParameters;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.WindowNormaliser;

/**
 * Listens to one track: streams the decode through the log-mel front end, cuts the windows the
 * plan asks for, runs them through the model in batches and combines them into a ranked verdict.
 * Memory stays bounded whatever the track's length: only one window of frames and one batch are
 * held. Thread-safe: each call has its own buffers; the model serialises inference.
 */
public final class TrackAnalyzer {
    private static final int BATCH = 32;
    private static final int READ_CHUNK = 16384;

    private final GenreModel model;
    private final ModelConfig config;
    private final LogMel logMel;
    private final List<String> genreNames;

    /**
     * @param model the model, whose config gives every feature and window parameter
     */
    public TrackAnalyzer(GenreModel model) {
        this.model = model;
        this.config = model.config();
        this.logMel = new LogMel(melParameters(config));
        this.genreNames = config.genres;
    }

    /**
     * @param config a model config
     * @return the log-mel parameters it was trained with
     */
    public static MelParameters melParameters(ModelConfig config) {
        return new MelParameters(config.sampleRate, config.nFft, config.hopLength, config.nMels, config.fmin,
                config.fmax > 0 ? config.fmax : null);
    }

    /** @return the model this analyzer runs */
    public GenreModel model() {
        return model;
    }

    /**
     * @param file the track
     * @param analysis how many windows; {@code null} for the model's default
     * @param times where to add time per stage; may be null
     * @return the ranked verdict
     * @throws ClassificationException naming the file and the cause
     */
    public TrackPrediction analyze(Path file, Analysis analysis, StageTimes times) throws ClassificationException {
        return analyzeTrack(file, analysis, times, Long.MAX_VALUE).prediction();
    }

    /**
     * A verdict and a digest of the decoded audio it heard, so a later tag write can prove the
     * audio survived without decoding the original twice.
     *
     * @param prediction the ranked verdict
     * @param audio digest of every decoded sample
     */
    public record Analyzed(TrackPrediction prediction, AudioDigest audio) {}

    /**
     * @param file the track
     * @param analysis how many windows; {@code null} for the model's default
     * @param times where to add time per stage; may be null
     * @param deadlineNanos {@link System#nanoTime()} after which the track is given up
     * @return the verdict and the audio digest
     * @throws ClassificationException naming the file and the cause
     */
    public Analyzed analyzeTrack(Path file, Analysis analysis, StageTimes times, long deadlineNanos)
            throws ClassificationException {
        int sample = analysis != null ? analysis.sampleWindows() : config.defaultSampleWindows;
        StageTimes t = times != null ? times : new StageTimes();
        try (DecodedStream in = AudioDecoder.open(file, config.sampleRate)) {
            Run run = new Run(in.durationSeconds(), sample, t);
            MelFrameStream frames = logMel.stream((index, frame) -> run.accept(frame));
            AudioDigest.Builder digest = new AudioDigest.Builder();
            float[] buf = new float[READ_CHUNK];
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
                digest.update(buf, n);
                frames.push(buf, 0, n);
                t.add(StageTimes.Stage.FEATURES, System.nanoTime() - t1);
            }
            AudioDigest audio = digest.build();
            if (audio.samples() == 0) {
                throw new ClassificationException(file.getFileName() + ": no audio samples decoded");
            }
            long t2 = System.nanoTime();
            frames.finish();
            t.add(StageTimes.Stage.FEATURES, System.nanoTime() - t2);
            run.finish();
            return new Analyzed(run.prediction(file, (double) audio.samples() / config.sampleRate), audio);
        } catch (IOException e) {
            throw new ClassificationException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ClassificationException(file.getFileName() + ": " + e, e);
        }
    }

    /** The state of one track's analysis: recent frames, the window plan and the batch. */
    private final class Run {
        private final int wf = config.windowFrames;
        private final int nMels = config.nMels;
        private final int windowSize = nMels * wf;
        private final StageTimes times;
        private final float[][] ring;
        private final float[][] window;
        private final float[] batch = new float[BATCH * windowSize];
        private final int[] batchStarts = new int[BATCH];
        private int batchCount;
        private int[] starts;
        private int nextStart;
        private long frameCount;
        private final List<WindowPrediction> timeline = new ArrayList<>();
        private final double[] sum;

        Run(double durationSeconds, int sample, StageTimes times) {
            this.times = times;
            ring = new float[wf][nMels];
            window = new float[wf][];
            sum = new double[config.numClasses()];
            // The plan needs the length; when the container does not say, every window is taken.
            if (sample > 0 && Double.isFinite(durationSeconds) && durationSeconds > 0) {
                long expected = 1 + (long) (durationSeconds * config.sampleRate) / config.hopLength;
                starts = WindowPlan.starts(expected, wf, config.windowHopFrames, sample);
            }
        }

        void accept(float[] frame) {
            System.arraycopy(frame, 0, ring[(int) (frameCount % wf)], 0, nMels);
            frameCount++;
            long start = frameCount - wf;
            if (start >= 0 && isPlanned(start)) {
                emit((int) start, wf);
            }
        }

        private boolean isPlanned(long start) {
            if (starts == null) {
                return start % config.windowHopFrames == 0;
            }
            if (nextStart < starts.length && starts[nextStart] == start) {
                nextStart++;
                return true;
            }
            return false;
        }

        /** Queues the window ending at the newest frame; shorter tracks are padded with silence. */
        private void emit(int start, int available) {
            for (int i = 0; i < wf; i++) {
                long f = frameCount - available + i;
                window[i] = i < available ? ring[(int) (f % wf)] : new float[nMels];
            }
            WindowNormaliser.normalise(window, 0, wf, config.topDb, batch, batchCount * windowSize);
            batchStarts[batchCount++] = start;
            if (batchCount == BATCH) {
                flush();
            }
        }

        void finish() {
            long lastStart = frameCount - wf;
            if (timeline.isEmpty() && batchCount == 0) {
                // Shorter than one window, or the container's duration misled the plan.
                emit((int) Math.max(0, lastStart), (int) Math.min(frameCount, wf));
            } else if (starts != null && nextStart < starts.length && lastStart > lastQueuedStart()) {
                emit((int) lastStart, wf);
            }
            flush();
        }

        private int lastQueuedStart() {
            if (batchCount > 0) {
                return batchStarts[batchCount - 1];
            }
            return (int) Math.round(timeline.get(timeline.size() - 1).startSeconds() * config.sampleRate / config.hopLength);
        }

        private void flush() {
            if (batchCount == 0) {
                return;
            }
            long t0 = System.nanoTime();
            float[][] probs = model.probabilities(batch, batchCount);
            times.add(StageTimes.Stage.INFERENCE, System.nanoTime() - t0);
            for (int i = 0; i < batchCount; i++) {
                List<Double> p = new ArrayList<>(probs[i].length);
                for (int k = 0; k < probs[i].length; k++) {
                    p.add((double) probs[i][k]);
                    sum[k] += probs[i][k];
                }
                timeline.add(new WindowPrediction((double) batchStarts[i] * config.hopLength / config.sampleRate, p));
            }
            batchCount = 0;
        }

        TrackPrediction prediction(Path file, double seconds) {
            int n = timeline.size();
            Integer[] order = new Integer[sum.length];
            for (int k = 0; k < order.length; k++) {
                order[k] = k;
            }
            Arrays.sort(order, (a, b) -> Double.compare(sum[b], sum[a]));
            List<GenreScore> genres = new ArrayList<>(order.length);
            for (int k : order) {
                genres.add(new GenreScore(genreNames.get(k), config.labels.get(k), sum[k] / n));
            }
            return new TrackPrediction(file, genres, seconds, timeline);
        }
    }
}
