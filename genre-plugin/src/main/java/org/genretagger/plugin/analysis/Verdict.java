package org.genretagger.plugin.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

    /**
     * Sets classes aside: the classes left share their probability, in proportion to it, so they
     * sum to 1 again (unless they have none at all, when they are left as they are). The one way a
     * verdict is narrowed, for the not-music class at a threshold of 0 and for the genres a user
     * did not choose alike.
     *
     * @param ranked a verdict, highest first
     * @param labels the labels to set aside
     * @return the other classes, still highest first ({@code ranked} itself when nothing is set aside)
     */
    public static List<GenreScore> setAside(List<GenreScore> ranked, Set<String> labels) {
        if (labels.isEmpty()) {
            return ranked;
        }
        List<GenreScore> kept = ranked.stream().filter(g -> !labels.contains(g.label())).toList();
        double sum = kept.stream().mapToDouble(GenreScore::probability).sum();
        return kept.stream().map(g -> new GenreScore(g.genre(), g.label(), sum > 0 ? g.probability() / sum : g.probability())).toList();
    }

    /**
     * The genres a user did not choose, to {@link #setAside} from every verdict.
     *
     * @param config the model's labels, display names and not-music class (which is no genre: it
     *     cannot be chosen and is never in the result)
     * @param chosen model labels or display names, or names from {@code genreNames}, compared
     *     ignoring case and surrounding spaces; empty for every genre
     * @param genreNames label to name overrides; a name several labels share chooses them all
     * @return the labels of the genres not chosen (empty when {@code chosen} is)
     * @throws IllegalArgumentException if a name is none of the model's genres, naming it and
     *     listing the model's genres
     */
    public static Set<String> notChosen(ModelConfig config, List<String> chosen, Map<String, String> genreNames) {
        Set<String> keep = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : chosen) {
            if (name.isBlank()) {
                continue;
            }
            Set<String> labels = labelsOf(config, name, genreNames);
            if (labels.isEmpty()) {
                unknown.add(name.strip());
            }
            keep.addAll(labels);
        }
        if (!unknown.isEmpty()) {
            StringBuilder sb = new StringBuilder(unknown.size() == 1 ? "unknown genre '" + unknown.get(0) + "'"
                    : "unknown genres '" + String.join("', '", unknown) + "'");
            if (config.notMusicLabel != null && unknown.stream().anyMatch(u -> isNotMusic(config, u))) {
                sb.append(" (not music is not a genre to choose)");
            }
            sb.append("; the model's genres are ").append(String.join(", ", describe(config)));
            throw new IllegalArgumentException(sb.toString());
        }
        if (keep.isEmpty()) {
            return Set.of();
        }
        Set<String> aside = new LinkedHashSet<>();
        for (String label : config.labels) {
            if (!label.equals(config.notMusicLabel) && !keep.contains(label)) {
                aside.add(label);
            }
        }
        return Set.copyOf(aside);
    }

    /**
     * @param config the model
     * @param name a label, display name or user's name, compared ignoring case
     * @param genreNames label to name overrides
     * @return the genre labels it names (several when a user's name is shared); empty if none
     */
    public static Set<String> labelsOf(ModelConfig config, String name, Map<String, String> genreNames) {
        String n = norm(name);
        Set<String> out = new LinkedHashSet<>();
        for (int k = 0; k < config.labels.size(); k++) {
            String label = config.labels.get(k);
            if (label.equals(config.notMusicLabel)) {
                continue;
            }
            String own = genreNames.get(label);
            if (norm(label).equals(n) || norm(config.genres.get(k)).equals(n) || own != null && norm(own).equals(n)) {
                out.add(label);
            }
        }
        return out;
    }

    /** @return each genre of the model as {@code Name (label)}, or its label alone where they agree */
    private static List<String> describe(ModelConfig config) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < config.labels.size(); k++) {
            String label = config.labels.get(k);
            if (!label.equals(config.notMusicLabel)) {
                String name = config.genres.get(k);
                out.add(name.equals(label) ? label : name + " (" + label + ")");
            }
        }
        return out;
    }

    private static boolean isNotMusic(ModelConfig config, String name) {
        int k = config.labels.indexOf(config.notMusicLabel);
        return norm(config.notMusicLabel).equals(norm(name)) || k >= 0 && norm(config.genres.get(k)).equals(norm(name));
    }

    private static String norm(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }
}
