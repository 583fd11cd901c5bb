package org.genretagger.plugin.retag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.GenreScore;
import org.genretagger.api.TrackPrediction;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.analysis.Verdict;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.tags.GenreTags.TrackTags;

/**
 * The first pass of a {@code --by album} run: every track's tags and, for the tracks the policy
 * lets through, its classification (kept until the second pass writes it, so nothing is decoded
 * twice); then the albums and one verdict per album over the windows of its classified tracks.
 * Thread-safe for the workers that fill it.
 */
final class AlbumVerdicts {
    private final Map<Path, TrackTags> tags = new ConcurrentHashMap<>();
    private final Map<Path, TrackAnalyzer.Analyzed> classified = new ConcurrentHashMap<>();
    private final Map<Path, ClassificationException> failed = new ConcurrentHashMap<>();
    private final Map<Path, Album> albumOf = new HashMap<>();

    /**
     * An album's shared verdict.
     *
     * @param name the album's name for the report
     * @param genres every genre, highest first (empty when none of its tracks was classified)
     */
    record Album(String name, List<GenreScore> genres) {}

    void tags(Path track, TrackTags t) {
        tags.put(track, t);
    }

    void classified(Path track, TrackAnalyzer.Analyzed a) {
        classified.put(track, a);
    }

    void failed(Path track, ClassificationException e) {
        failed.put(track, e);
    }

    /**
     * Groups the tracks and makes each album's verdict; call once the first pass is over.
     *
     * @param tracks the run's tracks in scan order
     * @param config the model's labels
     */
    void decide(List<Path> tracks, ModelConfig config) {
        Map<Path, TrackTags> ordered = new LinkedHashMap<>();
        for (Path t : tracks) {
            TrackTags tt = tags.get(t);
            if (tt != null) {
                ordered.put(t, tt);
            }
        }
        for (AlbumGrouping.Album a : AlbumGrouping.group(ordered)) {
            List<TrackPrediction> heard = new ArrayList<>();
            for (Path t : a.tracks()) {
                TrackAnalyzer.Analyzed an = classified.get(t);
                if (an != null && !failed.containsKey(t)) {
                    heard.add(an.prediction());
                }
            }
            Album album = new Album(a.name(), Verdict.ofTracks(heard, config));
            a.tracks().forEach(t -> albumOf.put(t, album));
        }
    }

    /**
     * Hands over (and forgets) the first pass's classification of a track.
     *
     * @param track the track
     * @return its classification, or null if the first pass did not classify it
     * @throws ClassificationException if the first pass failed to
     */
    TrackAnalyzer.Analyzed take(Path track) throws ClassificationException {
        ClassificationException e = failed.get(track);
        if (e != null) {
            throw e;
        }
        return classified.remove(track);
    }

    /**
     * @param track a track
     * @return its album, or null for a track judged on its own (a single, or untagged)
     */
    Album albumOf(Path track) {
        Album a = albumOf.get(track);
        return a == null || a.genres().isEmpty() ? null : a;
    }
}
