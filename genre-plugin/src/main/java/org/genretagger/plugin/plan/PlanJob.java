package org.genretagger.plugin.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TrackResult;
import org.genretagger.plugin.analysis.StageTimes;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.tags.GenreTags;
import org.genretagger.plugin.library.Journal;
import org.genretagger.plugin.library.LibraryLock;
import org.genretagger.plugin.library.SafeTagWriter;
import org.genretagger.plugin.retag.RetagJob;
import org.genretagger.plugin.retag.GenrePolicy;

/**
 * Applies a {@link RetagPlan}: each row's genres are written exactly as given, through the safe
 * writer and into a retag journal (so undo works as after a run); nothing is classified. A file
 * whose size or modification time differ from the plan's is skipped. A plan made for some genres
 * only (see {@link RetagPlan.Plan#genres()}), or applied with {@link RetagRequest#genres()}, writes no
 * genre outside them: a row that would is refused like a malformed one. The whole plan is checked
 * before the first write, and the library root is locked for the duration.
 */
public final class PlanJob {
    private final Path planFile;
    private final RetagRequest options;
    private final RetagListener listener;
    private final ModelConfig config;
    private final Set<String> known;

    /**
     * @param planFile the plan
     * @param options how to write (ID3 version, separator, keep mtime, journal, genre names, threads);
     *     its root is the library when the plan records none
     * @param listener told of progress
     * @param config the model's config: its genres, and the rate audio is verified at
     */
    public PlanJob(Path planFile, RetagRequest options, RetagListener listener, ModelConfig config) {
        this.planFile = planFile;
        this.options = options;
        this.listener = listener != null ? listener : RetagListener.NONE;
        this.config = config;
        this.known = knownGenres();
    }

    /**
     * @return one result per row
     * @throws IllegalArgumentException if the plan is malformed (nothing is written)
     * @throws org.genretagger.api.LibraryBusyException if another run holds the library
     */
    public RetagReport run() {
        long start = System.nanoTime();
        RetagPlan.Plan plan;
        try {
            plan = RetagPlan.read(planFile);
        } catch (IOException e) {
            throw new UncheckedIOException(planFile + ": cannot read the plan (" + e.getMessage() + ")", e);
        }
        requireChosen(plan);
        Path root = plan.root() != null ? plan.root() : options.root();
        try (LibraryLock lock = LibraryLock.acquire(root)) {
            return apply(plan, root, start);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + root + ": " + e.getMessage(), e);
        }
    }

    private RetagReport apply(RetagPlan.Plan plan, Path root, long start) throws IOException {
        Path journalPath = options.journal() != null ? options.journal() : Journal.defaultPath("retag");
        SafeTagWriter writer = new SafeTagWriter(options.id3Version(), options.separator(), options.keepMtime(), config.sampleRate,
                org.genretagger.api.AudioCheck.PACKETS, new org.genretagger.plugin.analysis.StageTimes());
        List<TrackResult> results = new ArrayList<>();
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        List<String> notices = new ArrayList<>();
        listener.started(plan.rows().size());
        int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "genre-apply");
            t.setDaemon(true);
            return t;
        });
        try (Journal journal = Journal.open(journalPath, "retag", root.toAbsolutePath())) {
            List<Future<TrackResult>> futures = new ArrayList<>();
            for (RetagPlan.Row row : plan.rows()) {
                futures.add(pool.submit(() -> {
                    TrackResult r = applyRow(row, writer, journal);
                    try {
                        journal.done(RetagJob.key(row.file()), r.outcome().name());
                    } catch (IOException e) {
                        // the change line, which undo needs, is already on disk
                    }
                    synchronized (results) {
                        results.add(r);
                        listener.trackFinished(r);
                    }
                    return r;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                TrackResult r;
                try {
                    r = futures.get(i).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (java.util.concurrent.ExecutionException e) {
                    continue;
                }
                if (r.outcome() == Outcome.TAGGED) {
                    for (String g : r.genreAfter()) {
                        if (!known.contains(norm(g))) {
                            unknown.computeIfAbsent(g, k -> new ArrayList<>()).add(String.valueOf(r.file().getFileName()));
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (Map.Entry<String, List<String>> e : unknown.entrySet()) {
            List<String> files = e.getValue();
            notices.add(String.format(Locale.ROOT, "written as given, not one of the model's genres: %s (%d track%s: %s%s)", e.getKey(),
                    files.size(), files.size() == 1 ? "" : "s", String.join(", ", files.subList(0, Math.min(5, files.size()))),
                    files.size() > 5 ? ", ..." : ""));
        }
        List<TrackResult> snapshot;
        synchronized (results) {
            snapshot = new ArrayList<>(results);
        }
        return new RetagReport(snapshot, journalPath, Duration.ofNanos(System.nanoTime() - start),
                options.minConfidenceOr(config.defaultMinConfidence), new StageTimes().seconds(),
                notices);
    }

    private TrackResult applyRow(RetagPlan.Row row, SafeTagWriter writer, Journal journal) {
        Path file = row.file();
        String name = String.valueOf(file.getFileName());
        try {
            if (!Files.isRegularFile(file)) {
                return new TrackResult(file, Outcome.SKIPPED, row.before(), row.before(), List.of(),
                        name + ": no longer there (plan line " + row.line() + ")");
            }
            if (!GenreTags.supports(file)) {
                return new TrackResult(file, Outcome.FAILED, List.of(), List.of(), List.of(),
                        name + ": cannot write tags to this kind of file (plan line " + row.line() + ")");
            }
            SafeTagWriter.Snapshot snapshot = SafeTagWriter.Snapshot.of(file);
            if (snapshot.size() != row.size() || !snapshot.mtime().toInstant().equals(row.mtime())) {
                return new TrackResult(file, Outcome.SKIPPED, row.before(), row.before(), List.of(), String.format(Locale.ROOT,
                        "%s: changed since it was planned (size %d, modified %s; the plan has %d, %s); left as it is, plan it again",
                        name, snapshot.size(), snapshot.mtime().toInstant(), row.size(), row.mtime()));
            }
            List<String> before = GenreTags.readGenres(file);
            List<String> after = row.after();
            if (GenrePolicy.sameGenres(before, after)) {
                return new TrackResult(file, Outcome.UNCHANGED, before, after, List.of(), "");
            }
            writer.write(file, before, after, null, journal, snapshot, null, null);
            List<String> outside = after.stream().filter(g -> !known.contains(norm(g))).toList();
            return new TrackResult(file, Outcome.TAGGED, before, after, List.of(), outside.isEmpty() ? ""
                    : String.join(", ", outside) + ": not one of the model's genres; written as given");
        } catch (IOException e) {
            return new TrackResult(file, Outcome.FAILED, row.before(), row.before(), List.of(),
                    e instanceof SafeTagWriter.Refused ? e.getMessage() : RetagJob.tagReadFailure(file, e));
        } catch (RuntimeException e) {
            return new TrackResult(file, Outcome.FAILED, row.before(), row.before(), List.of(), name + ": unexpected error (" + e + ")");
        }
    }

    /**
     * Refuses the plan if a row writes a genre outside the plan's genres or the request's.
     *
     * @throws IllegalArgumentException naming the line and the genre
     */
    private void requireChosen(RetagPlan.Plan plan) {
        // The request's: names resolved against the model (an unknown one is refused).
        Set<String> requestAside = org.genretagger.plugin.analysis.Verdict.notChosen(config, options.genres(), options.genreNames());
        // The plan's: the names it records, and the genres of the model those name.
        Set<String> planNames = new HashSet<>();
        Set<String> planLabels = new HashSet<>();
        for (String g : plan.genres()) {
            planNames.add(norm(g));
            planLabels.addAll(org.genretagger.plugin.analysis.Verdict.labelsOf(config, g, options.genreNames()));
        }
        for (RetagPlan.Row row : plan.rows()) {
            for (String g : row.after()) {
                Set<String> labels = org.genretagger.plugin.analysis.Verdict.labelsOf(config, g, options.genreNames());
                if (!plan.genres().isEmpty() && !planNames.contains(norm(g)) && (labels.isEmpty() || !planLabels.containsAll(labels))) {
                    throw RetagPlan.malformed(planFile, row.line(), "'" + g + "' is not one of the genres the plan was made for ("
                            + String.join(", ", plan.genres()) + ")");
                }
                if (!options.genres().isEmpty() && (labels.isEmpty() || labels.stream().anyMatch(requestAside::contains))) {
                    throw RetagPlan.malformed(planFile, row.line(), "'" + g + "' is not one of the genres asked for ("
                            + String.join(", ", options.genres()) + ")");
                }
            }
        }
    }

    /** The model's labels, its genre names and the user's names for them, compared case-blind. */
    private Set<String> knownGenres() {
        Set<String> known = new HashSet<>();
        config.labels.forEach(l -> known.add(norm(l)));
        config.genres.forEach(g -> known.add(norm(g)));
        options.genreNames().values().forEach(g -> known.add(norm(g)));
        return known;
    }

    private static String norm(String genre) {
        return genre.strip().toLowerCase(Locale.ROOT);
    }
}
