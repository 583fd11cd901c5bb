package org.genretagger.plugin.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genretagger.api.Id3Version;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.TrackResult;
import org.genretagger.plugin.analysis.StageTimes;

/**
 * Restores the genre fields a run changed, file by file, only where the file is still exactly as
 * that run left it. Writes go through the same safe writer and into a journal of their own, so an
 * undo can be undone.
 */
public final class UndoJob {
    private static final int VERIFY_RATE = 22050;

    private final Path journalPath;
    private final RetagListener listener;

    /**
     * @param journal the journal of the run to undo
     * @param listener told of progress
     */
    public UndoJob(Path journal, RetagListener listener) {
        this.journalPath = journal;
        this.listener = listener != null ? listener : RetagListener.NONE;
    }

    /** @return one result per file the journal changed */
    public RetagReport run() {
        long start = System.nanoTime();
        StageTimes times = new StageTimes();
        Journal.Contents contents;
        try {
            contents = Journal.read(journalPath);
        } catch (IOException e) {
            TrackResult r = TrackResult.of(journalPath, Outcome.FAILED, "cannot read journal: " + e.getMessage());
            listener.started(1);
            listener.trackFinished(r);
            return new RetagReport(List.of(r), null, Duration.ofNanos(System.nanoTime() - start), 0, times.seconds());
        }
        // First state before and last state after, per file, in the order files were first changed.
        Map<Path, Journal.Change[]> span = new LinkedHashMap<>();
        for (Journal.Change c : contents.changes()) {
            span.computeIfAbsent(c.file(), f -> new Journal.Change[] {c, c})[1] = c;
        }
        listener.started(span.size());
        List<TrackResult> results = new ArrayList<>();
        Path undoPath = Journal.defaultPath("undo");
        // The journal is the whole record of the run; the ID3 version does not change the values restored.
        SafeTagWriter writer = new SafeTagWriter(Id3Version.V2_4, "; ", true, VERIFY_RATE);
        try (Journal undo = Journal.open(undoPath, "undo", journalPath.toAbsolutePath())) {
            for (Map.Entry<Path, Journal.Change[]> e : span.entrySet()) {
                TrackResult r = restore(e.getKey(), e.getValue()[0], e.getValue()[1], writer, undo);
                results.add(r);
                listener.trackFinished(r);
            }
        } catch (IOException e) {
            TrackResult r = TrackResult.of(undoPath, Outcome.FAILED, "cannot write undo journal: " + e.getMessage());
            results.add(r);
            listener.trackFinished(r);
        }
        return new RetagReport(results, undoPath, Duration.ofNanos(System.nanoTime() - start), 0, times.seconds());
    }

    private static TrackResult restore(Path file, Journal.Change first, Journal.Change last, SafeTagWriter writer, Journal undo) {
        try {
            if (!Files.isRegularFile(file)) {
                return new TrackResult(file, Outcome.FAILED, last.after(), last.after(), List.of(), file + ": no longer there");
            }
            String now = SafeTagWriter.sha256(file);
            if (now.equals(first.sha256Before())) {
                return new TrackResult(file, Outcome.UNCHANGED, first.before(), first.before(), List.of(), "already as before the run");
            }
            if (!now.equals(last.sha256After())) {
                return new TrackResult(file, Outcome.SKIPPED, last.after(), last.after(), List.of(),
                        "changed since the run; left as it is");
            }
            writer.write(file, last.after(), first.before(), null, undo);
            undo.done(file, Outcome.RESTORED.name());
            return new TrackResult(file, Outcome.RESTORED, last.after(), first.before(), List.of(), "");
        } catch (IOException e) {
            return new TrackResult(file, Outcome.FAILED, last.after(), last.after(), List.of(), e.getMessage());
        } catch (RuntimeException e) {
            return new TrackResult(file, Outcome.FAILED, last.after(), last.after(), List.of(), file.getFileName() + ": " + e);
        }
    }
}
