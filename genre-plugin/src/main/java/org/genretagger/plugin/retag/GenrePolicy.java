package org.genretagger.plugin.retag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.genretagger.api.GenreScore;
import org.genretagger.api.TagPolicy;

/** What genre values a track ends up with, given its own and the model's verdict. */
public final class GenrePolicy {
    /**
     * A runner-up is written beside the top genre only if it is at least this share of the top
     * genre's probability: a distant second is noise, not a second genre.
     */
    static final double RUNNER_UP_SHARE = 0.5;

    private GenrePolicy() {}

    /**
     * @param ranked genres sorted by probability
     * @param maxGenres at most this many
     * @return the names to write
     */
    static List<String> chosen(List<GenreScore> ranked, int maxGenres) {
        List<String> out = new ArrayList<>();
        double top = ranked.get(0).probability();
        for (GenreScore g : ranked) {
            if (out.size() == maxGenres || (!out.isEmpty() && g.probability() < top * RUNNER_UP_SHARE)) {
                break;
            }
            out.add(g.genre());
        }
        return out;
    }

    /**
     * @param policy the policy
     * @param existing the track's genre values
     * @param ours the model's choice
     * @return the values to write
     */
    static List<String> apply(TagPolicy policy, List<String> existing, List<String> ours) {
        if (policy == TagPolicy.MERGE) {
            List<String> merged = new ArrayList<>(existing);
            for (String g : ours) {
                if (merged.stream().noneMatch(e -> e.equalsIgnoreCase(g))) {
                    merged.add(g);
                }
            }
            return merged;
        }
        return ours;
    }

    public static boolean sameGenres(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).trim().toLowerCase(Locale.ROOT).equals(b.get(i).trim().toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }
}
