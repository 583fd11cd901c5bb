package org.genretagger.trainer;

import java.util.ArrayList;
import java.util.List;
import org.genretagger.plugin.analysis.WindowPlan;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.Softmax;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.WindowNormaliser;
import org.genretagger.trainer.data.Clip;
import org.genretagger.trainer.data.FeatureCache;
import org.genretagger.plugin.evaluation.Calibration;

/** Runs the model over clean, cached validation clips window by window, as the plugin would. */
final class Validation {
    private static final int BATCH = 64;

    /**
     * @param windowAccuracy fraction of windows whose top genre is right
     * @param trackAccuracy fraction of tracks whose mean window probability puts the right genre first
     * @param windowLoss mean cross-entropy over windows
     * @param windowLogits per track, the logits of each window
     * @param truth per track, the true class
     */
    record Result(double windowAccuracy, double trackAccuracy, double windowLoss, List<float[][]> windowLogits, int[] truth) {}

    private Validation() {}

    static Result run(GenreModel model, FeatureCache cache, List<Clip> clips, ModelConfig config) {
        return run(model, cache, clips, config, 0);
    }

    /**
     * @param sampleWindows 0 for every window, else this many spread over each track
     */
    static Result run(GenreModel model, FeatureCache cache, List<Clip> clips, ModelConfig config, int sampleWindows) {
        int windowSize = config.nMels * config.windowFrames;
        List<float[][]> logits = new ArrayList<>();
        int[] truth = new int[clips.size()];
        int windows = 0;
        int windowCorrect = 0;
        int trackCorrect = 0;
        double loss = 0;
        for (int i = 0; i < clips.size(); i++) {
            Clip c = clips.get(i);
            truth[i] = config.labels.indexOf(c.label());
            float[][] f = cache.frames(c, 0);
            int[] starts = WindowPlan.starts(f.length, config.windowFrames, config.windowHopFrames, sampleWindows);
            float[][] trackLogits = new float[starts.length][];
            float[] batch = new float[Math.min(BATCH, starts.length) * windowSize];
            for (int s0 = 0; s0 < starts.length; s0 += BATCH) {
                int n = Math.min(BATCH, starts.length - s0);
                for (int j = 0; j < n; j++) {
                    WindowNormaliser.normalise(config, f, starts[s0 + j], config.windowFrames, batch, j * windowSize);
                }
                float[][] l = model.logits(batch, n);
                System.arraycopy(l, 0, trackLogits, s0, n);
            }
            logits.add(trackLogits);
            for (float[] l : trackLogits) {
                float[] p = l.clone();
                Softmax.inPlace(p, 1.0);
                if (argmax(p) == truth[i]) {
                    windowCorrect++;
                }
                loss -= Math.log(Math.max(1e-12, p[truth[i]]));
                windows++;
            }
            if (Calibration.argmax(Calibration.trackProbabilities(trackLogits, 1.0)) == truth[i]) {
                trackCorrect++;
            }
        }
        return new Result((double) windowCorrect / windows, (double) trackCorrect / clips.size(), loss / windows, logits, truth);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }
}
