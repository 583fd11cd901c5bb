package org.genretagger.plugin.learn;

import org.genretagger.plugin.model.EngineOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.LearnException;
import org.genretagger.api.LearnReport;
import org.genretagger.api.LearnRequest;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagListener;
import org.genretagger.api.TrackResult;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.evaluation.Calibration;
import org.genretagger.plugin.evaluation.ClassificationReport;
import org.genretagger.plugin.evaluation.ConfidenceThreshold;
import org.genretagger.plugin.library.LibraryScanner;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.SoftmaxRegression;
import org.genretagger.plugin.tags.GenreTags;
import org.genretagger.plugin.tags.GenreTags.TrackTags;
import org.genretagger.plugin.tags.TagAccessException;

/**
 * Learns a user's genres from the tracks of a library that carry genre tags: reads the labels,
 * decides what can be learned (and stops, before decoding anything, when too little can), holds
 * whole albums out, extracts the base network's mean window embedding per track (cached), trains
 * a {@link SoftmaxRegression} head, calibrates it on the held-out albums, chooses its threshold there and
 * writes the model folder.
 */
public final class Learner {
    /** Fixes the album split, so a rerun with the same library gives the same model. */
    static final long SEED = 20261130L;
    /** L2 penalty of the head (on standardised inputs, per unit of sample weight). */
    static final double L2 = 5e-3;
    /** Full-batch Adam steps of the head. */
    static final int STEPS = 500;

    private final TrackAnalyzer analyzer;

    /** @param analyzer the plugin's analyzer, whose base network gives the embedding */
    public Learner(TrackAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** A track with a usable label. */
    private record Labelled(Path file, List<String> rawGenres, List<String> labels, String album, String artist) {}

    /** The tracks to learn from, and the tags a host gave for them (none when the root is scanned). */
    private record Sources(List<Path> files, Map<Path, TrackTags> given) {}

    /** The genres to learn: model labels in written-name order, and how many tracks and albums each has. */
    private record Genres(List<String> classes, List<String> written, Map<String, Integer> count, Map<String, Set<String>> albums) {}

    /** The head, its calibration and what it scored on the held-out albums. */
    private record Trained(SoftmaxRegression head, double temperature, ClassificationReport figures,
            ConfidenceThreshold.Choice threshold, int[][] perGenre) {}

    /** What one {@link #learn} call gathers on the way: what was left out, what failed, how features were got. */
    private static final class Run {
        final long start = System.nanoTime();
        final LearnRequest request;
        final RetagListener progress;
        final GenreLabels names;
        final List<String> leftOut = new ArrayList<>();
        final List<TrackResult> failed = new ArrayList<>();
        final AtomicInteger decoded = new AtomicInteger();
        final AtomicInteger cached = new AtomicInteger();

        Run(LearnRequest request, RetagListener listener) {
            this.request = request;
            this.progress = listener != null ? listener : RetagListener.NONE;
            this.names = new GenreLabels(request.aliases());
        }
    }

    /**
     * @param request what to learn from and where to write
     * @param listener told of progress
     * @return what was learned
     * @throws LearnException when too little can be learned, or the model folder cannot be written
     */
    public LearnReport learn(LearnRequest request, RetagListener listener) throws LearnException {
        Run run = new Run(request, listener);
        // 1. Labels, from the tags (cheap; no audio is decoded before the data is known to suffice).
        List<Labelled> tracks = labelled(run, sources(run));
        // 2. Which genres: --genres, --min-tracks, and at least two albums to hold one out.
        Genres genres = genres(run, tracks);
        List<Labelled> used = new ArrayList<>();
        for (Labelled t : tracks) {
            List<String> l = t.labels().stream().filter(genres.classes()::contains).toList();
            if (!l.isEmpty()) {
                used.add(new Labelled(t.file(), t.rawGenres(), l, t.album(), t.artist()));
            }
        }
        // 3. Hold out whole albums (or artists).
        List<AlbumSplit.Item> items = used.stream().map(t -> new AlbumSplit.Item(t.labels().get(0), t.album(), t.artist())).toList();
        AlbumSplit.Result split = AlbumSplit.split(items, SEED);
        // 4. Features: the base network's mean window embedding, from the cache where it can.
        float[][] features = features(run, used);
        // 5. Train on the rest, calibrate and measure on the held-out albums.
        Trained trained = train(used, features, split, genres);
        // 6. The model folder and its report.
        return write(run, genres, split, trained);
    }

    /** The host's list of tracks with their tags, or the scanned root's tracks (whose problems are left out). */
    private static Sources sources(Run run) throws LearnException {
        LearnRequest request = run.request;
        List<Path> files = new ArrayList<>();
        Map<Path, TrackTags> given = new HashMap<>();
        if (!request.tracks().isEmpty()) {
            // The host knows the genres (a library manager's database): no scan, no tag reading.
            for (org.genretagger.api.LabelledTrack t : request.tracks()) {
                if (given.putIfAbsent(t.file(), new TrackTags(t.genres(), t.artist(), t.albumArtist(), t.album(), false)) == null) {
                    files.add(t.file());
                }
            }
            return new Sources(files, given);
        }
        LibraryScanner.Scan scan;
        try {
            scan = LibraryScanner.scan(request.root(), request.includes(), request.excludes(), false, false);
        } catch (IOException e) {
            throw new LearnException(request.root() + ": cannot scan (" + e.getMessage() + ")", e);
        }
        files.addAll(scan.tracks());
        run.leftOut.addAll(scan.problems());
        return new Sources(files, given);
    }

    /** Each track's labels (its first genre's, or all with --labels all) and the album and artist it is held out with. */
    private static List<Labelled> labelled(Run run, Sources sources) {
        List<Labelled> tracks = new ArrayList<>();
        int untagged = 0;
        int noTags = 0;
        for (Path f : sources.files()) {
            TrackTags tags = sources.given().get(f);
            if (tags == null && !GenreTags.supports(f)) {
                noTags++;
                continue;
            }
            try {
                if (tags == null) {
                    tags = readTags(f);
                }
            } catch (Exception e) {
                run.failed.add(TrackResult.of(f, Outcome.FAILED, f + ": cannot read tags (" + rootMessage(e) + ")"));
                continue;
            }
            Set<String> labels = new LinkedHashSet<>();
            for (String raw : tags.genres()) {
                String k = run.names.label(raw);
                if (!k.isEmpty()) {
                    labels.add(k);
                    if (!run.request.allLabels()) {
                        break;
                    }
                }
            }
            if (labels.isEmpty()) {
                untagged++;
                continue;
            }
            String artist = !tags.albumArtist().isEmpty() ? tags.albumArtist() : tags.artist();
            Path folder = f.toAbsolutePath().getParent();
            String album = !tags.album().isEmpty() ? "album:" + GenreLabels.key(artist) + "\u0000" + tags.album().toLowerCase(Locale.ROOT)
                    : "folder:" + folder;
            String artistKey = !artist.isEmpty() ? "artist:" + GenreLabels.key(artist) : album;
            tracks.add(new Labelled(f, tags.genres(), List.copyOf(labels), album, artistKey));
        }
        if (untagged > 0) {
            run.leftOut.add(untagged + " tracks have no genre tag (nothing to learn from; these are the ones to tag)");
        }
        if (noTags > 0) {
            run.leftOut.add(noTags + " files are of a format without genre tags (e.g. .au)");
        }
        return tracks;
    }

    /**
     * A track's genres and album tags, read as a retag reads them ({@link GenreTags#readTrackTags});
     * when only the genres can be read, the track goes without album tags (its folder groups it).
     */
    private static TrackTags readTags(Path f) throws TagAccessException {
        try {
            return GenreTags.readTrackTags(f);
        } catch (TagAccessException e) {
            return new TrackTags(GenreTags.readGenres(f), "", "", "", false);
        }
    }

    /** The genres asked for (or all) with enough tracks in at least two albums; stops when fewer than two are left. */
    private static Genres genres(Run run, List<Labelled> tracks) throws LearnException {
        LearnRequest request = run.request;
        Map<String, Integer> count = new TreeMap<>();
        Map<String, Set<String>> albums = new TreeMap<>();
        for (Labelled t : tracks) {
            for (String l : t.labels()) {
                count.merge(l, 1, Integer::sum);
                albums.computeIfAbsent(l, x -> new LinkedHashSet<>()).add(t.album());
            }
        }
        Set<String> keep = new LinkedHashSet<>(count.keySet());
        if (!request.genres().isEmpty()) {
            keepAsked(run, keep, count);
        }
        for (String k : List.copyOf(keep)) {
            if (count.get(k) < request.minTracks()) {
                keep.remove(k);
                run.leftOut.add("genre '" + run.names.writtenName(k) + "': " + count.get(k) + " tracks, fewer than --min-tracks "
                        + request.minTracks());
            } else if (albums.get(k).size() < 2) {
                keep.remove(k);
                run.leftOut.add("genre '" + run.names.writtenName(k) + "': " + count.get(k)
                        + " tracks but all in one album (or folder), so none could be held out to measure it");
            }
        }
        if (keep.size() < 2) {
            throw new LearnException(tooLittle(request, keep, count, albums, run.names));
        }
        List<String> classes = new ArrayList<>(keep);
        classes.sort(Comparator.comparing(k -> run.names.writtenName(k).toLowerCase(Locale.ROOT)));
        return new Genres(List.copyOf(classes), classes.stream().map(run.names::writtenName).toList(), count, albums);
    }

    /** Narrows {@code keep} to the genres --genres asks for, noting those no track has and how many were left aside. */
    private static void keepAsked(Run run, Set<String> keep, Map<String, Integer> count) {
        Set<String> asked = new LinkedHashSet<>();
        GenreLabels lookup = new GenreLabels(run.request.aliases());
        for (String g : run.request.genres()) {
            String k = lookup.label(g);
            asked.add(k);
            if (!count.containsKey(k)) {
                run.leftOut.add("genre '" + g + "' was asked for but no track has it");
            }
        }
        int others = 0;
        for (String k : count.keySet()) {
            if (!asked.contains(k)) {
                keep.remove(k);
                others++;
            }
        }
        if (others > 0) {
            run.leftOut.add(others + " genres not among --genres");
        }
    }

    /** Every track's mean embedding (null where it failed), on a pool of workers, from the cache where it can. */
    private float[][] features(Run run, List<Labelled> used) throws LearnException {
        LearnRequest request = run.request;
        try {
            Files.createDirectories(request.modelDir());
        } catch (IOException e) {
            throw new LearnException(request.modelDir() + ": cannot create the model folder (" + e.getMessage() + ")", e);
        }
        // Cached features are means over this many windows of this base: another count is another key.
        String featureKey = analyzer.model().weightsSha256() + " windows " + request.windows();
        Analysis windows = new Analysis(request.windows());
        float[][] features = new float[used.size()][];
        try (FeatureCache cache = new FeatureCache(request.modelDir(), featureKey)) {
            run.progress.started(used.size());
            int threads = request.threads() > 0 ? request.threads() : Runtime.getRuntime().availableProcessors();
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread th = new Thread(r, "genre-learn");
                th.setDaemon(true);
                return th;
            });
            try {
                List<Future<TrackResult>> done = new ArrayList<>();
                for (int i = 0; i < used.size(); i++) {
                    int idx = i;
                    done.add(pool.submit(() -> {
                        TrackResult r = features(used.get(idx), cache, featureKey, windows, features, idx, run.decoded, run.cached);
                        synchronized (run.progress) {
                            run.progress.trackFinished(r);
                        }
                        return r;
                    }));
                }
                for (Future<TrackResult> f : done) {
                    TrackResult r = f.get();
                    if (r.outcome() == Outcome.FAILED) {
                        run.failed.add(r);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LearnException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new LearnException("feature extraction failed: " + rootMessage(e), e);
            } finally {
                pool.shutdownNow();
            }
        } catch (IOException e) {
            throw new LearnException(request.modelDir() + ": cannot write the feature cache (" + e.getMessage() + ")", e);
        }
        return features;
    }

    /** Fits the head on the training albums (every genre weighing the same), calibrates it and chooses its threshold on the held-out ones. */
    private static Trained train(List<Labelled> used, float[][] features, AlbumSplit.Result split, Genres genres) throws LearnException {
        List<String> classes = genres.classes();
        List<float[]> trainX = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>();
        List<float[]> testX = new ArrayList<>();
        List<Integer> testY = new ArrayList<>();
        int[][] perGenre = new int[classes.size()][2];
        for (int i = 0; i < used.size(); i++) {
            if (features[i] == null) {
                continue;
            }
            for (String l : used.get(i).labels()) {
                int c = classes.indexOf(l);
                (split.heldOut()[i] ? testX : trainX).add(features[i]);
                (split.heldOut()[i] ? testY : trainY).add(c);
                perGenre[c][split.heldOut()[i] ? 1 : 0]++;
            }
        }
        for (int c = 0; c < classes.size(); c++) {
            if (perGenre[c][0] == 0 || perGenre[c][1] == 0) {
                throw new LearnException("genre '" + genres.written().get(c) + "' has " + perGenre[c][0] + " training and " + perGenre[c][1]
                        + " held-out tracks left after unreadable files; it needs both. Leave it out (--genres) or add tracks.");
            }
        }
        int[] y = trainY.stream().mapToInt(Integer::intValue).toArray();
        int[] perClass = new int[classes.size()];
        for (int c : y) {
            perClass[c]++;
        }
        double[] balance = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            balance[i] = 1.0 / perClass[y[i]]; // every genre weighs the same, however many tracks it has
        }
        SoftmaxRegression head = SoftmaxRegression.fit(trainX.toArray(float[][]::new), y, balance, classes.size(), L2, STEPS);
        int[] truth = testY.stream().mapToInt(Integer::intValue).toArray();
        List<float[][]> logits = new ArrayList<>();
        for (float[] x : testX) {
            logits.add(new float[][] {head.logits(x)});
        }
        double temperature = Calibration.fitTemperature(logits, truth);
        double[][] probs = Calibration.trackProbabilities(logits, temperature);
        int[] predicted = new int[truth.length];
        double[] top = new double[truth.length];
        boolean[] right = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            predicted[i] = Calibration.argmax(probs[i]);
            top[i] = probs[i][predicted[i]];
            right[i] = predicted[i] == truth[i];
        }
        ClassificationReport figures = ClassificationReport.of(truth, predicted, genres.written());
        return new Trained(head, temperature, figures, ConfidenceThreshold.choose(top, right), perGenre);
    }

    /** Writes the model folder and its REPORT.md; returns the report. */
    private LearnReport write(Run run, Genres genres, AlbumSplit.Result split, Trained trained) throws LearnException {
        LearnRequest request = run.request;
        GenreModel base = analyzer.model();
        String baseSha = base.weightsSha256();
        String meaning = trained.threshold().describe("held-out");
        UserModel model = new UserModel();
        model.created = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        model.labels = genres.classes();
        model.genres = genres.written();
        ModelConfig bc = base.config();
        model.base.name = bc.name;
        model.base.version = bc.version;
        model.base.weightsSha256 = baseSha;
        model.head = trained.head();
        model.sampleWindows = request.windows();
        model.temperature = trained.temperature();
        model.defaultMinConfidence = trained.threshold().threshold();
        model.thresholdMeaning = meaning;
        model.learnedWith = LearnReportWriter.command(request);
        List<LearnReport.GenreFigures> rows = new ArrayList<>();
        int[][] perGenre = trained.perGenre();
        for (int c = 0; c < genres.classes().size(); c++) {
            ClassificationReport.ClassMetrics m = trained.figures().perClass().get(c);
            rows.add(new LearnReport.GenreFigures(genres.written().get(c), perGenre[c][0], perGenre[c][1],
                    genres.albums().get(genres.classes().get(c)).size(), m.precision(), m.recall()));
        }
        run.failed.sort(Comparator.comparing(TrackResult::file));
        LearnReport report = new LearnReport(request.modelDir(), genres.written(), rows, trained.figures().accuracy(),
                trained.threshold().threshold(), meaning, run.leftOut, run.failed, run.decoded.get(), run.cached.get(),
                Duration.ofNanos(System.nanoTime() - run.start));
        try {
            model.write(request.modelDir());
            LearnReportWriter.write(request, report, split, trained.figures(), trained.threshold(), trained.temperature(), bc, baseSha);
        } catch (IOException e) {
            throw new LearnException(request.modelDir() + ": cannot write the model (" + e.getMessage() + ")", e);
        }
        return report;
    }

    /** One track's features: from the cache, else decoded. Never throws for the track's sake. */
    private TrackResult features(Labelled t, FeatureCache cache, String featureKey, Analysis windows, float[][] out, int idx, AtomicInteger decoded,
            AtomicInteger cached) {
        Path f = t.file();
        FeatureCache.Entry e = cache.lookup(f, featureKey);
        try {
            if (e != null) {
                cached.incrementAndGet();
                if (e.error() != null) {
                    return new TrackResult(f, Outcome.FAILED, t.rawGenres(), t.rawGenres(), List.of(), e.error() + " (cached)");
                }
                out[idx] = e.mean();
                return new TrackResult(f, Outcome.UNCHANGED, t.rawGenres(), t.rawGenres(), List.of(), "features from the cache");
            }
            decoded.incrementAndGet();
            long deadline = System.nanoTime() + EngineOptions.current().trackTimeoutSeconds() * 1_000_000_000L;
            try {
                TrackAnalyzer.Analyzed a = analyzer.analyzeTrack(f, windows, null, deadline, true, true);
                float[] mean = UserModel.mean(a.embeddings());
                cache.put(f, featureKey, a.embeddings().length, mean, null);
                out[idx] = mean;
                return new TrackResult(f, Outcome.UNCHANGED, t.rawGenres(), t.rawGenres(), List.of(), "");
            } catch (ClassificationException | RuntimeException ex) {
                String msg = ex instanceof ClassificationException ? ex.getMessage() : f + ": " + ex;
                cache.put(f, featureKey, 0, null, msg);
                return new TrackResult(f, Outcome.FAILED, t.rawGenres(), t.rawGenres(), List.of(), msg);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String tooLittle(LearnRequest request, Set<String> keep, Map<String, Integer> count,
            Map<String, Set<String>> albums, GenreLabels names) {
        StringBuilder sb = new StringBuilder("too little to learn from in " + request.root() + ": ");
        sb.append(keep.size() == 1 ? "only genre '" + names.writtenName(keep.iterator().next()) + "' has"
                : "no genre has").append(" at least ").append(request.minTracks()).append(" tracks in at least 2 albums");
        sb.append(", and learning needs 2 genres. ");
        if (count.isEmpty()) {
            sb.append("No track carries a genre tag.");
        } else {
            List<Map.Entry<String, Integer>> top = new ArrayList<>(count.entrySet());
            top.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
            sb.append("Largest genres: ");
            for (int i = 0; i < Math.min(5, top.size()); i++) {
                String k = top.get(i).getKey();
                sb.append(i > 0 ? ", " : "").append(names.writtenName(k)).append(' ').append(top.get(i).getValue())
                        .append(" tracks/").append(albums.get(k).size()).append(" albums");
            }
            sb.append(". Tag more tracks, merge genres with --alias, or lower --min-tracks.");
        }
        return sb.toString();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
