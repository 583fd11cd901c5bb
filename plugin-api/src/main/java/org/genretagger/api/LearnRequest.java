package org.genretagger.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link GenreLearner#learn} should learn from. Build one with {@link #builder(Path, Path)}.
 *
 * @param root the tagged library, scanned recursively
 * @param modelDir where the model, its report and the feature cache go (created if needed)
 * @param allLabels a track with several genres counts for each of them; when false, for its first
 * @param aliases genre merges, from name to the genre it belongs to (e.g. {@code Alt Rock -> Rock});
 *     names are matched after normalisation (case, spaces, {@code - _ /})
 * @param minTracks genres with fewer tracks are left out (and listed)
 * @param genres only these genres (normalised like labels); empty for all
 * @param threads worker threads for decoding; 0 for one per core
 * @param includes glob patterns a path must match one of; empty for all
 * @param excludes glob patterns that rule a path out
 * @param windows windows per track whose mean embedding is the track's features; a retag with
 *     the learned model classifies as many. More is surer and slower (see docs/learn.md)
 * @param tracks when not empty, the tracks to learn from with the genres and albums the host knows
 *     for them: {@code root} is then not scanned (it only names the source in messages, e.g. the
 *     list's file) and no tags are read; includes and excludes do not apply
 */
public record LearnRequest(
        Path root,
        Path modelDir,
        boolean allLabels,
        Map<String, String> aliases,
        int minTracks,
        List<String> genres,
        int threads,
        List<String> includes,
        List<String> excludes,
        int windows,
        List<LabelledTrack> tracks) {

    /** The default of {@link #minTracks}. */
    public static final int DEFAULT_MIN_TRACKS = 20;
    /** The default of {@link #windows}. */
    public static final int DEFAULT_WINDOWS = 6;

    /** Validates and copies. */
    public LearnRequest {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(modelDir, "modelDir");
        if (minTracks < 1) {
            throw new IllegalArgumentException("min tracks must be at least 1: " + minTracks);
        }
        if (windows < 1) {
            throw new IllegalArgumentException("windows must be at least 1: " + windows);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (one per core) or positive: " + threads);
        }
        aliases = Map.copyOf(aliases);
        genres = List.copyOf(genres);
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        tracks = List.copyOf(tracks);
    }

    /**
     * @param root the tagged library
     * @param modelDir where the model goes
     * @return a builder with the defaults: first genre only, no aliases, 20 tracks a genre, all genres, 6 windows
     */
    public static Builder builder(Path root, Path modelDir) {
        return new Builder(root, modelDir);
    }

    /** Builds a {@link LearnRequest}; each setter returns the builder. */
    public static final class Builder {
        private final Path root;
        private final Path modelDir;
        private boolean allLabels;
        private Map<String, String> aliases = Map.of();
        private int minTracks = DEFAULT_MIN_TRACKS;
        private List<String> genres = List.of();
        private int threads;
        private List<String> includes = List.of();
        private List<String> excludes = List.of();
        private int windows = DEFAULT_WINDOWS;
        private List<LabelledTrack> tracks = List.of();

        private Builder(Path root, Path modelDir) {
            this.root = root;
            this.modelDir = modelDir;
        }

        /** @param v count a track for each of its genres @return this */
        public Builder allLabels(boolean v) { allLabels = v; return this; }
        /** @param v genre merges, name to target @return this */
        public Builder aliases(Map<String, String> v) { aliases = v; return this; }
        /** @param v fewest tracks a genre needs @return this */
        public Builder minTracks(int v) { minTracks = v; return this; }
        /** @param v only these genres; empty for all @return this */
        public Builder genres(List<String> v) { genres = v; return this; }
        /** @param v worker threads, 0 for one per core @return this */
        public Builder threads(int v) { threads = v; return this; }
        /** @param v include globs @return this */
        public Builder includes(List<String> v) { includes = v; return this; }
        /** @param v exclude globs @return this */
        public Builder excludes(List<String> v) { excludes = v; return this; }
        /** @param v windows per track @return this */
        public Builder windows(int v) { windows = v; return this; }
        /** @param v the tracks and their genres, instead of scanning the root; empty to scan @return this */
        public Builder tracks(List<LabelledTrack> v) { tracks = v; return this; }

        /** @return the request */
        public LearnRequest build() {
            return new LearnRequest(root, modelDir, allLabels, aliases, minTracks, genres, threads, includes, excludes, windows, tracks);
        }
    }
}
