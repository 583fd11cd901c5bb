package org.genretagger.trainer.pretrained;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.genretagger.plugin.evaluation.Calibration;
import org.genretagger.trainer.data.Clip;

/**
 * How many windows a whole song needs, judged on full-length tracks: users' tracks run 3-6 minutes,
 * the labelled clips 30 s. A track here is 6 to 10 outside clips of one genre and one fold, joined
 * window by window, after an intro (the opening window of a clip of another genre) and before an
 * outro (a not-music window: silence, noise or speech). Every window's logits come from the head
 * that never heard the fold's artists, so sampling N windows evenly, as the plugin does, and
 * averaging their probabilities is what a user's run of that head would give, boundaries aside.
 */
final class LongTracks {
    private LongTracks() {}

    /** A joined track: its windows' logits in order, and its genre. */
    record Track(float[][] windows, int truth) {}

    /**
     * Fewest windows of the default analysis: 40 s of music spread over the track, so that one intro, break or outro
     * cannot decide a song, whatever the curve says on this few tracks.
     */
    static final int MIN_WINDOWS = 4;

    /** Seeded draws of tracks from each fold and genre; every clip is in about this many tracks. */
    static final int DRAWS = 3;

    static List<Track> build(HeadRecipe.Folds folds, Map<Clip, float[][]> oof, HeadTraining t, long seed) {
        List<Track> tracks = new ArrayList<>();
        Random rng = new Random(seed);
        for (int k = 0; k < HeadRecipe.FOLDS; k++) {
            List<Clip> fold = folds.outsideFold(k);
            List<Clip> notMusic = folds.notMusicFold(k);
            int[] truth = t.truth(fold);
            for (int draw = 0; draw < DRAWS; draw++) {
                for (int genre : java.util.Arrays.stream(truth).distinct().toArray()) {
                    List<Clip> same = new ArrayList<>();
                    List<Clip> other = new ArrayList<>();
                    for (int i = 0; i < fold.size(); i++) {
                        (truth[i] == genre ? same : other).add(fold.get(i));
                    }
                    Collections.shuffle(same, rng);
                    for (int from = 0; from + 6 <= same.size(); ) {
                        int n = Math.min(same.size() - from, 6 + rng.nextInt(5));
                        List<float[]> w = new ArrayList<>();
                        if (!other.isEmpty()) {
                            w.add(oof.get(other.get(rng.nextInt(other.size())))[0]);
                        }
                        for (Clip c : same.subList(from, from + n)) {
                            Collections.addAll(w, oof.get(c));
                        }
                        if (!notMusic.isEmpty()) {
                            float[][] nm = oof.get(notMusic.get(rng.nextInt(notMusic.size())));
                            w.add(nm[rng.nextInt(nm.length)]);
                        }
                        tracks.add(new Track(w.toArray(new float[0][]), genre));
                        from += n;
                    }
                }
            }
        }
        return tracks;
    }

    /**
     * @param tracks joined tracks
     * @param windows windows sampled per track, 0 for all
     * @param temperature calibration
     * @return the fraction of tracks whose top genre is right
     */
    static double accuracy(List<Track> tracks, int windows, double temperature) {
        int right = 0;
        for (Track tr : tracks) {
            float[][] w = tr.windows();
            if (windows > 0 && windows < w.length) {
                float[][] s = new float[windows][];
                for (int i = 0; i < windows; i++) {
                    // The plugin's rule: centres of equal slices of the track.
                    s[i] = w[(int) Math.round((i + 0.5) * (w.length - 1) / windows)];
                }
                w = s;
            }
            right += Calibration.argmax(Calibration.trackProbabilities(w, temperature)) == tr.truth() ? 1 : 0;
        }
        return (double) right / Math.max(1, tracks.size());
    }

    /**
     * The accuracy-against-windows table, and the default: the fewest windows within one standard
     * error of every window (smaller differences are noise on this many tracks), and at least
     * {@link #MIN_WINDOWS}.
     *
     * @return the chosen count (0 for all) and the Markdown table
     */
    static Curve curve(List<Track> tracks, int[] counts, double temperature, double windowSeconds, PrintStream log) {
        double full = accuracy(tracks, 0, temperature);
        double se = Math.sqrt(full * (1 - full) / Math.max(1, tracks.size()));
        StringBuilder table = new StringBuilder("| windows per track | track accuracy |\n| --- | --- |\n");
        int chosen = 0;
        for (int n : counts) {
            double acc = accuracy(tracks, n, temperature);
            table.append(String.format(Locale.ROOT, "| %s | %.3f |%n", n == 0 ? "all" : Integer.toString(n), acc));
            log.printf("long tracks, %s windows: %.3f%n", n == 0 ? "all" : Integer.toString(n), acc);
            if (n > 0 && chosen == 0 && acc >= full - se - 1e-9) {
                chosen = n;
            }
        }
        double meanMinutes = tracks.stream().mapToInt(tr -> tr.windows().length).average().orElse(0) * windowSeconds / 60;
        table.append(String.format(Locale.ROOT, "%n%d tracks of %.1f minutes on average (%.0f s windows); one standard error "
                + "of the all-windows accuracy: %.3f.%n", tracks.size(), meanMinutes, windowSeconds, se));
        return new Curve(chosen == 0 ? 0 : Math.max(chosen, MIN_WINDOWS), table.toString());
    }

    /** @param windows the chosen windows per track, 0 for all @param table the Markdown table */
    record Curve(int windows, String table) {}
}
