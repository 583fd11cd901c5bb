package org.genretagger.plugin.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.genretagger.api.GenreScore;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.WindowPrediction;
import org.genretagger.plugin.model.ModelConfig;

/**
 * How window probabilities become a ranked verdict: the mean of the windows' calibrated
 * probabilities (the model's temperature already applies per window), for a track's windows and
 * for all windows of an album's tracks alike, so one confidence threshold means the same for both.
 */
public final class Verdict {
    private Verdict() {}

    /**
     * @param sum per label, the sum of the windows' probabilities
     * @param windows how many windows were summed (at least 1)
     * @param names display name per label
     * @param labels the model's labels
     * @return every genre, highest mean probability first
     */
    static List<GenreScore> rank(double[] sum, int windows, List<String> names, List<String> labels) {
        Integer[] order = new Integer[sum.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(sum[b], sum[a]));
        List<GenreScore> genres = new ArrayList<>(order.length);
        for (int k : order) {
            genres.add(new GenreScore(names.get(k), labels.get(k), sum[k] / windows));
        }
        return genres;
    }

    /**
     * One verdict over all windows of several tracks (an album's).
     *
     * @param tracks the tracks' predictions, each with its timeline
     * @param config the model's config (labels and names)
     * @return every genre, highest first; empty if the tracks have no windows
     */
    public static List<GenreScore> ofTracks(List<TrackPrediction> tracks, ModelConfig config) {
        double[] sum = new double[config.numClasses()];
        int n = 0;
        for (TrackPrediction t : tracks) {
            for (WindowPrediction w : t.timeline()) {
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += w.probabilities().get(k);
                }
                n++;
            }
        }
        return n == 0 ? List.of() : rank(sum, n, config.genres, config.labels);
    }
}
