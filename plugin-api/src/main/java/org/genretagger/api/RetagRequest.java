package org.genretagger.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a retag run should do. Build one with {@link #builder(Path)}; every option has a safe
 * default (fill empty genres only, one genre, the model's confidence threshold, no symlinks).
 *
 * @param root the folder to scan recursively (or a single file)
 * @param dryRun classify and report, but write nothing and keep no journal
 * @param policy what to do with a genre a track already has
 * @param minConfidence below this top probability nothing is written; {@code null} for the model's
 *     default threshold
 * @param maxGenres how many of the top genres to write (at least 1)
 * @param separator joins several genres where a format or ID3v2.3 needs a single string
 * @param id3Version the ID3v2 version written to MP3, WAV and AIFF
 * @param threads worker threads for decoding and features; 0 for one per core
 * @param includes glob patterns (relative to root) a path must match one of; empty for all
 * @param excludes glob patterns (relative to root) that rule a path out
 * @param followSymlinks follow symbolic links inside root (never leaving it, never looping)
 * @param journal where to append the journal; {@code null} for a new file in the user's data
 *     directory
 * @param resume a journal of an interrupted run whose finished tracks are not redone; or
 *     {@code null}
 * @param keepMtime keep each file's modification time when writing
 * @param genreNames label to written name overrides, e.g. {@code hiphop=Hip Hop}
 * @param analysis how much of each track to listen to; {@code null} for the model's default
 * @param verify how a write proves the audio unchanged (default {@link AudioCheck#PACKETS})
 * @param grouping one verdict per track, or one per album shared by its tracks (see
 *     {@link Grouping#ALBUM}); policies still apply track by track
 * @param model a model folder written by {@link GenreLearner#learn} to tag with; {@code null} for
 *     the shipped model
 * @param genres the genres a run may write, as model labels or display names (a name given in
 *     {@code genreNames} counts too), compared ignoring case; empty for all of the model's. The
 *     model's other genres are set aside and those left share their probability (the model's
 *     not-music class is no genre here and is kept, so a track that then sounds most like not
 *     music gets none). A plan records them, and applying it writes no genre outside them. A name
 *     that is none of the model's genres makes the run throw {@link IllegalArgumentException}
 *     naming it and listing the model's genres
 */
public record RetagRequest(
        Path root,
        boolean dryRun,
        TagPolicy policy,
        Double minConfidence,
        int maxGenres,
        String separator,
        Id3Version id3Version,
        int threads,
        List<String> includes,
        List<String> excludes,
        boolean followSymlinks,
        Path journal,
        Path resume,
        boolean keepMtime,
        Map<String, String> genreNames,
        Analysis analysis,
        AudioCheck verify,
        Grouping grouping,
        Path model,
        List<String> genres) {

    /** Validates and copies. */
    public RetagRequest {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(separator, "separator");
        Objects.requireNonNull(id3Version, "id3Version");
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(grouping, "grouping");
        if (maxGenres < 1) {
            throw new IllegalArgumentException("max genres must be at least 1: " + maxGenres);
        }
        if (minConfidence != null && (minConfidence < 0 || minConfidence > 1)) {
            throw new IllegalArgumentException("min confidence must be within [0, 1]: " + minConfidence);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (one per core) or positive: " + threads);
        }
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        genreNames = Map.copyOf(genreNames);
        genres = genres == null ? List.of() : genres.stream().map(String::strip).filter(g -> !g.isEmpty()).distinct().toList();
    }

    /**
     * The one rule for a threshold not given: the model's own.
     *
     * @param modelDefault the threshold of the model the run classifies with
     * @return the threshold the run uses: {@link #minConfidence()} when given, else {@code modelDefault}
     */
    public double minConfidenceOr(double modelDefault) {
        return minConfidence != null ? minConfidence : modelDefault;
    }

    /**
     * @param root the folder to retag
     * @return a builder with the defaults
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** @return a builder holding this request's values */
    public Builder toBuilder() {
        Builder b = new Builder(root);
        b.dryRun = dryRun;
        b.policy = policy;
        b.minConfidence = minConfidence;
        b.maxGenres = maxGenres;
        b.separator = separator;
        b.id3Version = id3Version;
        b.threads = threads;
        b.includes = includes;
        b.excludes = excludes;
        b.followSymlinks = followSymlinks;
        b.journal = journal;
        b.resume = resume;
        b.keepMtime = keepMtime;
        b.genreNames = genreNames;
        b.analysis = analysis;
        b.verify = verify;
        b.grouping = grouping;
        b.model = model;
        b.genres = genres;
        return b;
    }

    /** Builds a {@link RetagRequest}; each setter returns the builder. */
    public static final class Builder {
        private Path root;
        private boolean dryRun;
        private TagPolicy policy = TagPolicy.FILL_EMPTY;
        private Double minConfidence;
        private int maxGenres = 1;
        private String separator = "; ";
        private Id3Version id3Version = Id3Version.V2_4;
        private int threads;
        private List<String> includes = List.of();
        private List<String> excludes = List.of();
        private boolean followSymlinks;
        private Path journal;
        private Path resume;
        private boolean keepMtime;
        private Map<String, String> genreNames = Map.of();
        private Analysis analysis;
        private AudioCheck verify = AudioCheck.PACKETS;
        private Grouping grouping = Grouping.TRACK;
        private Path model;
        private List<String> genres = List.of();

        private Builder(Path root) {
            this.root = root;
        }

        /** @param v the folder to scan @return this */
        public Builder root(Path v) { root = v; return this; }
        /** @param v write nothing @return this */
        public Builder dryRun(boolean v) { dryRun = v; return this; }
        /** @param v the policy @return this */
        public Builder policy(TagPolicy v) { policy = v; return this; }
        /** @param v the threshold, or null for the model's @return this */
        public Builder minConfidence(Double v) { minConfidence = v; return this; }
        /** @param v how many genres to write @return this */
        public Builder maxGenres(int v) { maxGenres = v; return this; }
        /** @param v the separator for single-string formats @return this */
        public Builder separator(String v) { separator = v; return this; }
        /** @param v the ID3v2 version @return this */
        public Builder id3Version(Id3Version v) { id3Version = v; return this; }
        /** @param v worker threads, 0 for one per core @return this */
        public Builder threads(int v) { threads = v; return this; }
        /** @param v include globs @return this */
        public Builder includes(List<String> v) { includes = v; return this; }
        /** @param v exclude globs @return this */
        public Builder excludes(List<String> v) { excludes = v; return this; }
        /** @param v follow symlinks inside root @return this */
        public Builder followSymlinks(boolean v) { followSymlinks = v; return this; }
        /** @param v the journal file, or null for the default @return this */
        public Builder journal(Path v) { journal = v; return this; }
        /** @param v the journal of a run to resume, or null @return this */
        public Builder resume(Path v) { resume = v; return this; }
        /** @param v keep modification times @return this */
        public Builder keepMtime(boolean v) { keepMtime = v; return this; }
        /** @param v label to name overrides @return this */
        public Builder genreNames(Map<String, String> v) { genreNames = v; return this; }
        /** @param v the analysis, or null for the model's default @return this */
        public Builder analysis(Analysis v) { analysis = v; return this; }
        /** @param v how a write proves the audio unchanged @return this */
        public Builder verify(AudioCheck v) { verify = v; return this; }
        /** @param v one verdict per track (default) or per album @return this */
        public Builder grouping(Grouping v) { grouping = v; return this; }
        /** @param v a learned model folder, or null for the shipped model @return this */
        public Builder model(Path v) { model = v; return this; }
        /** @param v the genres a run may write (labels or names), empty for all @return this */
        public Builder genres(List<String> v) { genres = v; return this; }

        /** @return the request */
        public RetagRequest build() {
            return new RetagRequest(root, dryRun, policy, minConfidence, maxGenres, separator, id3Version, threads,
                    includes, excludes, followSymlinks, journal, resume, keepMtime, genreNames, analysis, verify, grouping,
                    model, genres);
        }
    }
}
