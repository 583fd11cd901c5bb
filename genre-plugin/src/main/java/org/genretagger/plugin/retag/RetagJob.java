package org.genretagger.plugin.retag;

import org.genretagger.plugin.model.EngineOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.genretagger.api.AudioCheck;
import org.genretagger.api.GenreScore;
import org.genretagger.api.Grouping;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.TrackResult;
import org.genretagger.plugin.analysis.StageTimes;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.analysis.Verdict;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.tags.GenreTags;
import org.genretagger.plugin.library.Journal;
import org.genretagger.plugin.library.LibraryScanner;
import org.genretagger.plugin.library.SafeTagWriter;

/**
 * One retag run: scan, then per track (on worker threads) read its genre, decide by policy
 * whether to classify, classify, decide what to write, and write it safely. Every track ends in
 * exactly one {@link TrackResult}; nothing one track does can stop the others.
 *
 * <p>Time limits: decoding gives up at {@code genretagger.trackTimeoutSeconds} (system property,
 * default 600 s); a watchdog gives any track still reading or decoding after
 * {@code genretagger.trackWatchdogSeconds} (default: the decode limit plus 60 s) a FAILED result
 * and moves on, so a call stuck in native code or in a tag parser cannot hang the run. The stuck
 * thread is abandoned (a daemon thread; Java cannot stop it), and it can no longer write: a track
 * is only written after it has claimed the right to from the watchdog.
 *
 * <p>Resume: tracks with a {@code done} line in the resumed journal are skipped. A track with a
 * {@code change} line but no {@code done} line was interrupted between journalling and finishing:
 * if it is exactly as the change left it, it is reported as done; otherwise it is worked on again.
 */
public final class RetagJob {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int WRITING = 2;
    private static final int FINISHED = 3;
    private static final int ABANDONED = 4;

    /** How a track is classified: the analyzer's {@code analyzeTrack}; a stand-in in tests. */
    @FunctionalInterface
    public interface Classify {
        TrackAnalyzer.Analyzed analyze(Path file, org.genretagger.api.Analysis analysis, StageTimes times, long deadlineNanos)
                throws org.genretagger.api.ClassificationException;
    }

    private final Classify analyzer;
    private final RetagRequest request;
    private final RetagListener listener;
    private final ModelConfig config;
    private final double minConfidence;
    /**
     * The classes set aside from every verdict (the rest share their probability): the genres the
     * request did not choose, and at a threshold of 0 the not-music class.
     */
    private final Set<String> aside;
    /** The genres the request did not choose (none when it chose none); a subset of {@link #aside}. */
    private final Set<String> notChosen;
    /** The names the chosen genres are written as, in model order; empty when all may be written. */
    private final List<String> chosenNames;
    private final long trackTimeoutSeconds;
    private final long watchdogSeconds;
    private final StageTimes times = new StageTimes();
    /**
     * The watchdog's clock: when a track started and how long it has been running. A seam for
     * tests ({@link #watchdogClock}), which advance their own clock so that what the watchdog
     * gives up on never depends on how busy the machine is.
     */
    private java.util.function.LongSupplier clock = System::nanoTime;
    /**
     * Told of a result thrown away because the watchdog had already given up on its track (the
     * stuck call came back late); a test's way to know that this has happened, and what the
     * late call would have reported, without waiting for it.
     */
    private java.util.function.Consumer<TrackResult> voided = r -> {};
    /** {@code --by album}: the first pass's classifications and the album verdicts; null by track. */
    private AlbumVerdicts albums;

    /**
     * @param analyzer the classifier
     * @param request what to do
     * @param listener told of progress
     * @throws IllegalArgumentException if the request chooses a genre the model does not have
     */
    public RetagJob(TrackAnalyzer analyzer, RetagRequest request, RetagListener listener) {
        // Only a write verified by decoding needs the digest of a whole decode; otherwise a sampled analysis seeks.
        this((f, a, t, d) -> analyzer.analyzeTrack(f, a, t, d, request.dryRun() || request.verify() != AudioCheck.DECODE),
                analyzer.model().config(), request, listener,
                EngineOptions.current().trackTimeoutSeconds(), EngineOptions.current().trackWatchdogSeconds());
    }

    /**
     * @param analyzer classifies a track (e.g. with a learned model)
     * @param config the config of the model it classifies with
     * @param request what to do
     * @param listener told of progress
     * @throws IllegalArgumentException if the request chooses a genre the model does not have
     */
    public RetagJob(Classify analyzer, ModelConfig config, RetagRequest request, RetagListener listener) {
        this(analyzer, config, request, listener, EngineOptions.current().trackTimeoutSeconds(),
                EngineOptions.current().trackWatchdogSeconds());
    }

    /**
     * @param analyzer classifies a track
     * @param config the model's config
     * @param request what to do
     * @param listener told of progress
     * @param trackTimeoutSeconds the decode limit per track
     * @param watchdogSeconds the watchdog's limit per track; negative for the decode limit plus 60 s
     */
    RetagJob(Classify analyzer, ModelConfig config, RetagRequest request, RetagListener listener, long trackTimeoutSeconds,
            long watchdogSeconds) {
        this.analyzer = analyzer;
        this.request = request;
        this.listener = listener != null ? listener : RetagListener.NONE;
        this.config = config;
        this.minConfidence = request.minConfidenceOr(config.defaultMinConfidence);
        Set<String> notChosen = Verdict.notChosen(config, request.genres(), request.genreNames());
        this.notChosen = notChosen;
        Set<String> a = new HashSet<>(notChosen);
        if (minConfidence <= 0 && config.notMusicLabel != null) {
            // A threshold of 0 asks for the likeliest genre whatever the track sounds like: the
            // genres' shares of the probability that it is music.
            a.add(config.notMusicLabel);
        }
        this.aside = Set.copyOf(a);
        List<String> names = new ArrayList<>();
        if (!notChosen.isEmpty()) {
            for (int k = 0; k < config.labels.size(); k++) {
                String label = config.labels.get(k);
                String name = request.genreNames().getOrDefault(label, config.genres.get(k)).strip();
                if (!label.equals(config.notMusicLabel) && !notChosen.contains(label)
                        && names.stream().noneMatch(n -> n.equalsIgnoreCase(name))) {
                    names.add(name);
                }
            }
        }
        this.chosenNames = List.copyOf(names);
        this.trackTimeoutSeconds = Math.max(1, trackTimeoutSeconds);
        this.watchdogSeconds = watchdogSeconds < 0 ? this.trackTimeoutSeconds + 60 : Math.max(1, watchdogSeconds);
    }

    /**
     * For tests: the watchdog's clock (nanoseconds, like {@link System#nanoTime}) and a listener
     * for results thrown away after the watchdog gave up on their track.
     *
     * @return this job
     */
    RetagJob watchdogClock(java.util.function.LongSupplier clock, java.util.function.Consumer<TrackResult> voided) {
        this.clock = java.util.Objects.requireNonNull(clock);
        this.voided = java.util.Objects.requireNonNull(voided);
        return this;
    }

    /** One track's progress, shared by its worker and the watchdog. */
    private static final class Task {
        final Path track;
        final AtomicInteger state = new AtomicInteger(QUEUED);
        volatile long startedNanos;
        volatile Thread thread;

        Task(Path track) {
            this.track = track;
        }

        /** The worker claims the right to write; false once the watchdog has given up on it. */
        boolean claimWrite() {
            return state.compareAndSet(RUNNING, WRITING);
        }
    }

    /**
     * @return the names the request's chosen genres are written as (user's names where given), in
     *     the model's order; empty when every genre may be written
     */
    public List<String> chosenGenres() {
        return chosenNames;
    }

    /** @return the report; never throws for a track's sake */
    public RetagReport run() {
        long start = System.nanoTime();
        List<TrackResult> results = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        LibraryScanner.Scan scan;
        try {
            scan = LibraryScanner.scan(request.root(), request.includes(), request.excludes(), request.followSymlinks(),
                    !request.dryRun());
        } catch (IOException e) {
            return single(TrackResult.of(request.root(), Outcome.FAILED, request.root() + ": cannot scan (" + e.getMessage() + ")"),
                    start, notices);
        }
        notices.addAll(removedNotice(scan.removedTemps(), request.dryRun()));
        notices.addAll(scan.problems());
        Set<Path> finished = new HashSet<>();
        Map<Path, Journal.Change> pending = new HashMap<>();
        Journal journal = null;
        Path journalPath = null;
        try {
            readResumed(finished, pending, notices);
            if (!request.dryRun()) {
                journalPath = request.journal() != null ? request.journal()
                        : request.resume() != null ? request.resume() : Journal.defaultPath("retag");
                journal = Journal.open(journalPath, "retag", request.root().toAbsolutePath());
            }
        } catch (IOException e) {
            return single(TrackResult.of(request.root(), Outcome.FAILED, "journal: " + e.getMessage()), start, notices);
        }
        List<Path> tracks = scan.tracks();
        SafeTagWriter writer = new SafeTagWriter(request.id3Version(), request.separator(), request.keepMtime(), config.sampleRate,
                request.verify(), times);
        int threads = request.threads() > 0 ? request.threads() : Runtime.getRuntime().availableProcessors();
        if (request.grouping() == Grouping.ALBUM) {
            albums = firstPass(tracks, finished, threads);
        }
        listener.started(tracks.size());
        Journal j = journal;
        Object lock = new Object();
        List<Path> notReached = forEach(tracks, threads, task -> {
            TrackResult r = resumed(task.track, finished, pending);
            return r != null ? r : safely(task, writer, j);
        }, (task, r) -> {
            TrackResult out = r;
            if (j != null && !r.message().startsWith("done in the resumed run")) {
                try {
                    j.done(key(task.track), r.outcome().name());
                } catch (IOException e) {
                    out = r.withMessage((r.message().isEmpty() ? "" : r.message() + "; ") + "journal: " + e.getMessage());
                }
            }
            synchronized (lock) {
                results.add(out);
                listener.trackFinished(out);
            }
        });
        // The host wants us to stop: the tracks not started are reported as such.
        for (Path track : notReached) {
            synchronized (lock) {
                TrackResult r = TrackResult.of(track, Outcome.SKIPPED, "not reached: the run was interrupted");
                results.add(r);
                listener.trackFinished(r);
            }
        }
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                // every entry was already forced to disk
            }
        }
        List<TrackResult> snapshot;
        synchronized (lock) {
            snapshot = new ArrayList<>(results);
        }
        return new RetagReport(snapshot, journalPath, Duration.ofNanos(System.nanoTime() - start), minConfidence, times.seconds(),
                notices);
    }

    /**
     * What the resumed run's journal says: the tracks it finished, and the changes it journalled
     * (a track with a change but no done line may need working on again).
     */
    private void readResumed(Set<Path> finished, Map<Path, Journal.Change> pending, List<String> notices) throws IOException {
        if (request.resume() != null && !java.nio.file.Files.exists(request.resume())) {
            // A run killed before it wrote its first line leaves no journal: nothing is done yet.
            notices.add("resume: " + request.resume() + " does not exist yet; no track was finished, starting from the beginning");
        } else if (request.resume() != null) {
            Journal.Contents previous = Journal.read(request.resume());
            previous.done().forEach(p -> finished.add(p.toAbsolutePath().normalize()));
            for (Journal.Change c : previous.changes()) {
                pending.put(c.file().toAbsolutePath().normalize(), c);
            }
        }
    }

    /**
     * Runs {@code work} on each track on {@code threads} workers, under the watchdog; each track's
     * one result (the work's, or the watchdog's FAILED) goes to {@code sink}, and its slot is freed.
     *
     * @return the tracks not started because the thread was interrupted
     */
    private List<Path> forEach(List<Path> tracks, int threads, java.util.function.Function<Task, TrackResult> work,
            java.util.function.BiConsumer<Task, TrackResult> sink) {
        Semaphore slots = new Semaphore(threads);
        CountDownLatch left = new CountDownLatch(tracks.size());
        Set<Task> running = ConcurrentHashMap.newKeySet();
        java.util.function.BiConsumer<Task, TrackResult> report = (task, r) -> {
            running.remove(task);
            sink.accept(task, r);
            slots.release();
            left.countDown();
        };
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "genre-retag");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "genre-retag-watchdog");
            t.setDaemon(true);
            return t;
        });
        long limit = TimeUnit.SECONDS.toNanos(watchdogSeconds);
        watchdog.scheduleWithFixedDelay(() -> {
            long now = clock.getAsLong();
            for (Task task : running) {
                if (task.state.get() == RUNNING && now - task.startedNanos > limit && task.state.compareAndSet(RUNNING, ABANDONED)) {
                    Thread t = task.thread;
                    if (t != null) {
                        t.interrupt();
                    }
                    report.accept(task, TrackResult.of(task.track, Outcome.FAILED, task.track.getFileName()
                            + ": gave up after " + watchdogSeconds + " s (reading or decoding it never finished); left as it is"));
                }
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        int submitted = 0;
        try {
            for (Path track : tracks) {
                slots.acquire();
                Task task = new Task(track);
                running.add(task);
                pool.execute(() -> {
                    task.thread = Thread.currentThread();
                    task.startedNanos = clock.getAsLong();
                    if (!task.state.compareAndSet(QUEUED, RUNNING)) {
                        return;
                    }
                    TrackResult r = work.apply(task);
                    int s = task.state.get();
                    if ((s == RUNNING || s == WRITING) && task.state.compareAndSet(s, FINISHED)) {
                        Thread.interrupted(); // a late interrupt from the watchdog must not leak into the next task
                        report.accept(task, r);
                    } else if (r != null) {
                        voided.accept(r);
                    }
                });
                submitted++;
            }
            left.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return tracks.subList(submitted, tracks.size());
        } finally {
            watchdog.shutdownNow();
            pool.shutdown();
        }
        return List.of();
    }

    /**
     * {@code --by album}, first pass: reads every track's tags and classifies the tracks the
     * policy lets through, so that each album's verdict is known before any of its tracks is
     * written; the second pass takes the classifications over instead of decoding again.
     */
    private AlbumVerdicts firstPass(List<Path> tracks, Set<Path> finished, int threads) {
        AlbumVerdicts albums = new AlbumVerdicts();
        List<Path> todo = tracks.stream().filter(t -> !finished.contains(key(t))).toList();
        forEach(todo, threads, task -> {
            Path track = task.track;
            try {
                if (GenreTags.supports(track)) {
                    GenreTags.TrackTags tags = GenreTags.readTrackTags(track);
                    albums.tags(track, tags);
                    if (request.policy() == TagPolicy.FILL_EMPTY && !tags.genres().isEmpty()) {
                        return null;
                    }
                }
                albums.classified(track, analyzer.analyze(track, request.analysis(), times,
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(trackTimeoutSeconds)));
            } catch (org.genretagger.api.ClassificationException e) {
                albums.failed(track, e);
            } catch (Throwable e) {
                // Unreadable tags and the like: the second pass meets them again and reports them.
            }
            return null;
        }, (task, r) -> {
            if (r != null) { // the watchdog gave up on it
                albums.failed(task.track, new org.genretagger.api.ClassificationException(r.message()));
            }
        });
        albums.decide(tracks, config);
        return albums;
    }

    private RetagReport single(TrackResult r, long start, List<String> notices) {
        listener.started(1);
        listener.trackFinished(r);
        return new RetagReport(List.of(r), null, Duration.ofNanos(System.nanoTime() - start), minConfidence, times.seconds(), notices);
    }

    static List<String> removedNotice(List<Path> removed, boolean dryRun) {
        if (removed.isEmpty()) {
            return List.of();
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %d leftover temporary file%s of an interrupted run",
                dryRun ? "found" : "removed", removed.size(), removed.size() == 1 ? "" : "s"));
        if (dryRun) {
            sb.append(" (a run that writes removes them)");
        }
        sb.append(": ");
        int shown = Math.min(5, removed.size());
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(removed.get(i));
        }
        if (shown < removed.size()) {
            sb.append(", ...");
        }
        return List.of(sb.toString());
    }

    /** The path a journal knows a track by: its real path (links resolved). */
    public static Path key(Path track) {
        try {
            return track.toRealPath();
        } catch (IOException e) {
            return track.toAbsolutePath().normalize();
        }
    }

    /** @return a result if the resumed run already finished this track, else null */
    private static TrackResult resumed(Path track, Set<Path> finished, Map<Path, Journal.Change> pending) {
        if (finished.isEmpty() && pending.isEmpty()) {
            return null;
        }
        Path key = key(track);
        if (finished.contains(key) || finished.contains(track.toAbsolutePath().normalize())) {
            return TrackResult.of(track, Outcome.SKIPPED, "done in the resumed run");
        }
        Journal.Change c = pending.get(key);
        if (c != null) {
            try {
                if (SafeTagWriter.sha256(track).equals(c.sha256After())) {
                    return new TrackResult(track, Outcome.SKIPPED, c.before(), c.after(), List.of(),
                            "tagged by the resumed run just before it stopped");
                }
            } catch (IOException e) {
                return null; // worked on again, which reports the problem
            }
        }
        return null;
    }

    private TrackResult safely(Task task, SafeTagWriter writer, Journal journal) {
        Path track = task.track;
        try {
            return process(task, writer, journal);
        } catch (Throwable e) {
            // Whatever a parser does (a StackOverflowError on a crafted file included), the track
            // gets its result; a worker that died without one would leave the run to the watchdog.
            return TrackResult.of(track, Outcome.FAILED, track.getFileName() + ": unexpected error (" + oneLine(e.toString()) + ")");
        }
    }

    private TrackResult process(Task task, SafeTagWriter writer, Journal journal) {
        Path track = task.track;
        boolean taggable = GenreTags.supports(track);
        List<String> before = List.of();
        SafeTagWriter.Snapshot snapshot = null;
        if (taggable) {
            long t0 = System.nanoTime();
            try {
                snapshot = SafeTagWriter.Snapshot.of(track);
                before = GenreTags.readGenres(track);
            } catch (IOException e) {
                return TrackResult.of(track, Outcome.FAILED, tagReadFailure(track, e));
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
            analyzed = albums != null ? albums.take(track) : null;
            if (analyzed == null) {
                analyzed = analyzer.analyze(track, request.analysis(), times,
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(trackTimeoutSeconds));
            }
        } catch (org.genretagger.api.ClassificationException e) {
            return new TrackResult(track, Outcome.FAILED, before, before, List.of(), oneLine(e.getMessage()));
        }
        TrackPrediction own = analyzed.prediction();
        AlbumVerdicts.Album album = albums != null ? albums.albumOf(track) : null;
        // By album, the album's verdict decides; the track's own top genre is reported beside it.
        String notMusic = config.notMusicLabel;
        // Genres not chosen, and not music at a threshold of 0, are set aside; the rest share their probability.
        List<GenreScore> verdict = Verdict.setAside(album != null ? album.genres() : own.genres(), aside);
        List<GenreScore> top = named(verdict);
        List<GenreScore> top3 = top.subList(0, Math.min(3, top.size()));
        // By album, the track's own top is reported as the model heard it (not music included), among the chosen genres.
        GenreScore ownTop = album != null ? named(Verdict.setAside(own.genres(), notChosen)).get(0) : top.get(0);
        java.util.function.UnaryOperator<TrackResult> withTrack = r -> new TrackResult(r.file(), r.outcome(), r.genreBefore(),
                r.genreAfter(), r.top(), r.message(), album != null ? album.name() : "", ownTop, own.timeline());
        if (!taggable) {
            return withTrack.apply(new TrackResult(track, Outcome.UNSUPPORTED, before, before, top3,
                    "cannot write tags to ." + LibraryScanner.extension(track) + " files"));
        }
        if (top.get(0).label().equals(notMusic)) {
            return withTrack.apply(new TrackResult(track, Outcome.LOW_CONFIDENCE, before, before, top3, String.format(Locale.ROOT,
                    "sounds like speech, noise, tones or silence, not music (%.2f); no genre written", top.get(0).probability())));
        }
        if (top.get(0).probability() < minConfidence) {
            return withTrack.apply(new TrackResult(track, Outcome.LOW_CONFIDENCE, before, before, top3, String.format(Locale.ROOT,
                    (album != null ? "the album's " : "") + "top genre %s at %.2f is below the confidence threshold %.2f", top.get(0).genre(), top.get(0).probability(), minConfidence)));
        }
        List<GenreScore> genres = named(verdict.stream().filter(g -> !g.label().equals(notMusic)).toList());
        List<String> after = GenrePolicy.apply(request.policy(), before, GenrePolicy.chosen(genres, request.maxGenres()));
        if (GenrePolicy.sameGenres(before, after)) {
            return withTrack.apply(new TrackResult(track, Outcome.UNCHANGED, before, after, top3, ""));
        }
        if (request.dryRun()) {
            return withTrack.apply(new TrackResult(track, Outcome.WOULD_TAG, before, after, top3, ""));
        }
        if (!task.claimWrite()) {
            return withTrack.apply(new TrackResult(track, Outcome.FAILED, before, before, top3, track.getFileName() + ": given up by the watchdog"));
        }
        long t0 = System.nanoTime();
        try {
            writer.write(track, before, after, analyzed.audio(), journal, snapshot, null, null);
        } catch (IOException e) {
            return withTrack.apply(new TrackResult(track, Outcome.FAILED, before, before, top3, oneLine(e.getMessage())));
        } finally {
            times.add(StageTimes.Stage.TAGS, System.nanoTime() - t0);
        }
        return withTrack.apply(new TrackResult(track, Outcome.TAGGED, before, after, top3, ""));
    }

    /**
     * The verdict with the user's names for the genres. Labels given the same name (say
     * {@code metal=Rock}) are one genre to the user, so their probabilities add up.
     */
    private List<GenreScore> named(List<GenreScore> genres) {
        Map<String, GenreScore> byName = new LinkedHashMap<>();
        for (GenreScore g : genres) {
            String name = request.genreNames().getOrDefault(g.label(), g.genre());
            byName.merge(name.trim().toLowerCase(Locale.ROOT), new GenreScore(name, g.label(), g.probability()),
                    (a, b) -> new GenreScore(a.genre(), a.label(), a.probability() + b.probability()));
        }
        List<GenreScore> out = new ArrayList<>(byName.values());
        out.sort((a, b) -> Double.compare(b.probability(), a.probability()));
        return out;
    }

    /**
     * One line for a file whose tags cannot be read: its name, then the tag library's reason
     * without the full paths and Java class names it likes to repeat.
     */
    public static String tagReadFailure(Path track, IOException e) {
        String name = String.valueOf(track.getFileName());
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String full = track.toString();
        String abs = track.toAbsolutePath().toString();
        m = m.replace("\"" + abs + "\" :", "").replace("\"" + full + "\" :", "")
                .replace(abs + ": ", "").replace(full + ": ", "").replace(abs, name).replace(full, name)
                .replaceAll("(?:java|org)\\.[a-z.]+\\.([A-Z]\\w*(?:Exception|Error)): ?", "$1: ");
        m = oneLine(m);
        if (m.startsWith("cannot read tags: ")) {
            return name + ": cannot read its tags (" + m.substring("cannot read tags: ".length())
                    + "); the file may be damaged or not what its extension says";
        }
        return name + ": " + m;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
