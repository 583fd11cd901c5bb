package org.genretagger.plugin.library;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.genretagger.api.GenreScore;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.TrackResult;
import org.genretagger.plugin.analysis.StageTimes;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.tags.GenreTags;

/**
 * One retag run: scan, then per track (on worker threads) read its genre, decide by policy
 * whether to classify, classify, decide what to write, and write it safely. Every track ends in
 * exactly one {@link TrackResult}; nothing one track does can stop the others.
 */
public final class RetagJob {
    /** Per-track limit on decoding, so a pathological file cannot hold a worker for ever. */
    static final long TRACK_TIMEOUT_SECONDS = Long.getLong("genretagger.trackTimeoutSeconds", 600);

    private final TrackAnalyzer analyzer;
    private final RetagRequest request;
    private final RetagListener listener;
    private final ModelConfig config;
    private final double minConfidence;
    private final StageTimes times = new StageTimes();

    /**
     * @param analyzer the classifier
     * @param request what to do
     * @param listener told of progress
     */
    public RetagJob(TrackAnalyzer analyzer, RetagRequest request, RetagListener listener) {
        this.analyzer = analyzer;
        this.request = request;
        this.listener = listener != null ? listener : RetagListener.NONE;
        this.config = analyzer.model().config();
        this.minConfidence = request.minConfidence() != null ? request.minConfidence() : config.defaultMinConfidence;
    }

    /** @return the report; never throws for a track's sake */
    public RetagReport run() {
        long start = System.nanoTime();
        List<TrackResult> results = new ArrayList<>();
        LibraryScanner.Scan scan;
        try {
            scan = LibraryScanner.scan(request.root(), request.includes(), request.excludes(), request.followSymlinks());
        } catch (IOException e) {
            TrackResult r = TrackResult.of(request.root(), Outcome.FAILED, request.root() + ": cannot scan (" + e.getMessage() + ")");
            listener.started(1);
            listener.trackFinished(r);
            return new RetagReport(List.of(r), null, Duration.ofNanos(System.nanoTime() - start), minConfidence, times.seconds());
        }
        Set<Path> finished = new HashSet<>();
        Journal journal = null;
        Path journalPath = null;
        try {
            if (request.resume() != null) {
                Journal.Contents previous = Journal.read(request.resume());
                previous.done().forEach(p -> finished.add(p.toAbsolutePath().normalize()));
            }
            if (!request.dryRun()) {
                journalPath = request.journal() != null ? request.journal()
                        : request.resume() != null ? request.resume() : Journal.defaultPath("retag");
                journal = Journal.open(journalPath, "retag", request.root().toAbsolutePath());
            }
        } catch (IOException e) {
            TrackResult r = TrackResult.of(request.root(), Outcome.FAILED, "journal: " + e.getMessage());
            listener.started(1);
            listener.trackFinished(r);
            return new RetagReport(List.of(r), null, Duration.ofNanos(System.nanoTime() - start), minConfidence, times.seconds());
        }
        listener.started(scan.tracks().size());
        SafeTagWriter writer = new SafeTagWriter(request.id3Version(), request.separator(), request.keepMtime(), config.sampleRate);
        int threads = request.threads() > 0 ? request.threads() : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "genre-retag");
            t.setDaemon(true);
            return t;
        });
        Journal j = journal;
        for (Path track : scan.tracks()) {
            pool.execute(() -> {
                TrackResult r;
                if (finished.contains(track.toAbsolutePath().normalize())) {
                    r = TrackResult.of(track, Outcome.SKIPPED, "done in the resumed run");
                } else {
                    r = safely(track, writer, j);
                    if (j != null) {
                        try {
                            j.done(track.toAbsolutePath(), r.outcome().name());
                        } catch (IOException e) {
                            r = new TrackResult(track, r.outcome(), r.genreBefore(), r.genreAfter(), r.top(),
                                    (r.message().isEmpty() ? "" : r.message() + "; ") + "journal: " + e.getMessage());
                        }
                    }
                }
                synchronized (results) {
                    results.add(r);
                    listener.trackFinished(r);
                }
            });
        }
        pool.shutdown();
        try {
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                // waiting for the workers
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                // every entry was already forced to disk
            }
        }
        return new RetagReport(results, journalPath, Duration.ofNanos(System.nanoTime() - start), minConfidence, times.seconds());
    }

    private TrackResult safely(Path track, SafeTagWriter writer, Journal journal) {
        try {
            return process(track, writer, journal);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme && !(e instanceof OutOfMemoryError)) {
                throw vme;
            }
            return TrackResult.of(track, Outcome.FAILED, track.getFileName() + ": unexpected error (" + e + ")");
        }
    }

    private TrackResult process(Path track, SafeTagWriter writer, Journal journal) {
        boolean taggable = GenreTags.supports(track);
        List<String> before = List.of();
        if (taggable) {
            long t0 = System.nanoTime();
            try {
                before = GenreTags.readGenres(track);
            } catch (IOException e) {
                return TrackResult.of(track, Outcome.FAILED, e.getMessage());
            } finally {
                times.add(StageTimes.Stage.TAGS, System.nanoTime() - t0);
            }
            if (request.policy() == TagPolicy.FILL_EMPTY && !before.isEmpty()) {
                return new TrackResult(track, Outcome.SKIPPED, before, before, List.of(),
                        "already has a genre (policy fill-empty)");
            }
        }
        TrackAnalyzer.Analyzed analyzed;
        try {
            analyzed = analyzer.analyzeTrack(track, request.analysis(), times,
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(TRACK_TIMEOUT_SECONDS));
        } catch (org.genretagger.api.ClassificationException e) {
            return TrackResult.of(track, Outcome.FAILED, e.getMessage());
        }
        List<GenreScore> top = named(analyzed.prediction());
        List<GenreScore> top3 = top.subList(0, Math.min(3, top.size()));
        if (!taggable) {
            return new TrackResult(track, Outcome.UNSUPPORTED, before, before, top3,
                    "cannot write tags to ." + extension(track) + " files");
        }
        if (top.get(0).probability() < minConfidence) {
            return new TrackResult(track, Outcome.LOW_CONFIDENCE, before, before, top3, String.format(Locale.ROOT,
                    "top genre %s at %.2f is below the confidence threshold %.2f", top.get(0).genre(), top.get(0).probability(), minConfidence));
        }
        List<String> after = GenrePolicy.apply(request.policy(), before, GenrePolicy.chosen(top, request.maxGenres()));
        if (GenrePolicy.sameGenres(before, after)) {
            return new TrackResult(track, Outcome.UNCHANGED, before, after, top3, "");
        }
        if (request.dryRun()) {
            return new TrackResult(track, Outcome.WOULD_TAG, before, after, top3, "");
        }
        long t0 = System.nanoTime();
        try {
            writer.write(track, before, after, analyzed.audio(), journal);
        } catch (IOException e) {
            return new TrackResult(track, Outcome.FAILED, before, before, top3, e.getMessage());
        } finally {
            times.add(StageTimes.Stage.TAGS, System.nanoTime() - t0);
        }
        return new TrackResult(track, Outcome.TAGGED, before, after, top3, "");
    }

    /** The verdict with the user's names for the genres. */
    private List<GenreScore> named(TrackPrediction p) {
        List<GenreScore> out = new ArrayList<>();
        for (GenreScore g : p.genres()) {
            out.add(new GenreScore(request.genreNames().getOrDefault(g.label(), g.genre()), g.label(), g.probability()));
        }
        return out;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
