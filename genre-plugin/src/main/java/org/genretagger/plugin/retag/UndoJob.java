package org.genretagger.plugin.retag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genretagger.api.AudioCheck;
import org.genretagger.api.Id3Version;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.TrackResult;
import org.genretagger.plugin.analysis.StageTimes;
import org.genretagger.plugin.library.Journal;
import org.genretagger.plugin.library.SafeTagWriter;

/**
 * Restores the genre fields a run changed, file by file, only where the file is still exactly as
 * that run left it (its SHA-256 is the journalled one). Writes go through the same safe writer and
 * into a journal of their own, so an undo can be undone.
 *
 * <p>What is restored: the genre values as they were read before the run (the values a user sees:
 * an ID3 genre code such as {@code (17)} comes back as its name, {@code Rock}; an M4A's numeric
 * {@code gnre} atom comes back as a text {@code ©gen}), the ID3v2 version of an MP3, WAV or AIFF
 * tag (v2.3 and v2.4 as they were; v2.2, which cannot be written, as v2.3), and the file's
 * modification time. A tag the run created stays, without a genre. Other fields are untouched,
 * though converting an ID3 tag's version re-encodes its frames. Leftover temporary files of an
 * interrupted run in the folders concerned are removed and reported.
 */
public final class UndoJob {
    private static final int VERIFY_RATE = 22050;

    private final Path journalPath;
    private final Path undoJournal;
    private final RetagListener listener;

    /**
     * @param journal the journal of the run to undo
     * @param listener told of progress
     */
    public UndoJob(Path journal, RetagListener listener) {
        this(journal, null, listener);
    }

    /**
     * @param journal the journal of the run to undo
     * @param undoJournal where to journal the undo; null for a new file in the user's data folder
     * @param listener told of progress
     */
    public UndoJob(Path journal, Path undoJournal, RetagListener listener) {
        this.journalPath = journal;
        this.undoJournal = undoJournal;
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
        List<Path> removed = new ArrayList<>();
        span.keySet().stream().map(Path::getParent).filter(d -> d != null).distinct()
                .forEach(d -> removed.addAll(SafeTagWriter.cleanTemps(d)));
        List<String> notices = new ArrayList<>(RetagJob.removedNotice(removed, false));
        listener.started(span.size());
        List<TrackResult> results = new ArrayList<>();
        Path undoPath = undoJournal != null ? undoJournal : Journal.defaultPath("undo");
        SafeTagWriter writer = new SafeTagWriter(Id3Version.V2_4, "; ", true, VERIFY_RATE, AudioCheck.PACKETS, times);
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
        return new RetagReport(results, undoPath, Duration.ofNanos(System.nanoTime() - start), 0, times.seconds(), notices);
    }

    private static TrackResult restore(Path file, Journal.Change first, Journal.Change last, SafeTagWriter writer, Journal undo) {
        String name = String.valueOf(file.getFileName());
        try {
            if (!Files.isRegularFile(file)) {
                return new TrackResult(file, Outcome.FAILED, last.after(), last.after(), List.of(), file + ": no longer there");
            }
            SafeTagWriter.Snapshot snapshot = SafeTagWriter.Snapshot.of(file);
            String now = SafeTagWriter.sha256(file);
            if (now.equals(first.sha256Before())) {
                return new TrackResult(file, Outcome.UNCHANGED, first.before(), first.before(), List.of(),
                        name + ": already as before the run");
            }
            if (!now.equals(last.sha256After())) {
                return new TrackResult(file, Outcome.SKIPPED, last.after(), last.after(), List.of(),
                        name + ": changed since the run; left as it is");
            }
            writer.write(file, last.after(), first.before(), null, undo, snapshot, id3Version(first, last), first.mtimeBefore());
            undo.done(file, Outcome.RESTORED.name());
            return new TrackResult(file, Outcome.RESTORED, last.after(), first.before(), List.of(), "");
        } catch (IOException e) {
            return new TrackResult(file, Outcome.FAILED, last.after(), last.after(), List.of(), e.getMessage());
        } catch (RuntimeException e) {
            return new TrackResult(file, Outcome.FAILED, last.after(), last.after(), List.of(), name + ": " + e);
        }
    }

    /** The ID3 version the file had before; with no tag then, the one it has now, so nothing converts. */
    static Id3Version id3Version(Journal.Change first, Journal.Change last) {
        int v = first.id3Before() != 0 ? first.id3Before() : last.id3After();
        return v == 4 || v == 0 ? Id3Version.V2_4 : Id3Version.V2_3;
    }
}
