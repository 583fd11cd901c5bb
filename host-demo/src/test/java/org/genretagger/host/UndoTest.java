package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genretagger.api.Id3Version;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import org.genretagger.api.TrackResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginManager;

/** Undo and resume through the plugin API, checked with Jaudiotagger's reading of the files. */
class UndoTest {
    private static final FileTime OLD = FileTime.from(Instant.parse("2020-02-03T04:05:06.123456789Z"));

    private static PluginManager pm;
    private static LibraryTagger tagger;

    @BeforeAll
    static void load() {
        pm = TestLibrary.loadPlugins();
        tagger = pm.getExtensions(LibraryTagger.class).get(0);
    }

    @AfterAll
    static void unload() {
        pm.stopPlugins();
    }

    /** A file's genre fields as a player sees them, its ID3 version and modification time. */
    private record Fields(List<String> genres, int id3, FileTime mtime) {}

    /**
     * Every format three times: {@code none/} without a genre, {@code one/} with "Folk" (MP3 in
     * ID3v2.3), {@code two/} with "Folk" and "Ambient" (as the format holds several).
     */
    private static List<Path> library(Path root) throws Exception {
        List<Path> all = new ArrayList<>(TestLibrary.copyFormats(root.resolve("none")));
        for (Path f : TestLibrary.copyFormats(root.resolve("one"))) {
            if (!f.toString().endsWith(".au")) {
                TestLibrary.writeGenres(pm, f, List.of("Folk"), f.toString().endsWith(".mp3") ? Id3Version.V2_3 : Id3Version.V2_4);
            }
            all.add(f);
        }
        for (Path f : TestLibrary.copyFormats(root.resolve("two"))) {
            if (!f.toString().endsWith(".au")) {
                TestLibrary.writeGenres(pm, f, List.of("Folk", "Ambient"), Id3Version.V2_4);
            }
            all.add(f);
        }
        for (Path f : all) {
            Files.setLastModifiedTime(f, OLD);
        }
        return all.stream().filter(f -> !f.toString().endsWith(".au")).toList();
    }

    private static Map<Path, Fields> fields(List<Path> files) throws Exception {
        Map<Path, Fields> out = new LinkedHashMap<>();
        for (Path f : files) {
            out.put(f, new Fields(TestLibrary.readGenres(f), TestLibrary.id3Version(f), Files.getLastModifiedTime(f)));
        }
        return out;
    }

    private static Map<Path, TrackResult> byFile(RetagReport report) {
        Map<Path, TrackResult> m = new LinkedHashMap<>();
        for (TrackResult r : report.results()) {
            assertNotNull(r.file());
            m.put(r.file().toAbsolutePath().normalize(), r);
        }
        return m;
    }

    private static RetagReport retag(Path lib, Path journal, Path resume) {
        return tagger.retag(RetagRequest.builder(lib).policy(TagPolicy.REPLACE).minConfidence(0.0).journal(journal).resume(resume)
                .build(), null);
    }

    @Test
    void undoRestoresEveryGenreFieldAndUndoingTheUndoIsTheRunAgain(@TempDir Path dir) throws Exception {
        Path lib = dir.toRealPath().resolve("lib");
        List<Path> files = library(lib);
        Map<Path, Fields> before = fields(files);
        Map<Path, float[]> samples = new LinkedHashMap<>();
        for (Path f : files) {
            samples.put(f, TestLibrary.decode(pm, f));
        }
        assertEquals(3, before.get(lib.resolve("one/tone.mp3")).id3(), "set-up: an ID3v2.3 file");
        assertEquals(List.of("Folk", "Ambient"), before.get(lib.resolve("two/tone.flac")).genres(), "set-up: two genres");

        RetagReport run = retag(lib, dir.resolve("run.jsonl"), null);
        Map<Path, TrackResult> ran = byFile(run);
        for (Path f : files) {
            TrackResult r = ran.get(f);
            assertEquals(Outcome.TAGGED, r.outcome(), r.toString());
            assertEquals(List.of(r.top().get(0).genre()), TestLibrary.readGenres(f), f.toString());
        }
        Map<Path, Fields> afterRun = fields(files);
        assertEquals(4, afterRun.get(lib.resolve("one/tone.mp3")).id3(), "the run wrote ID3v2.4");

        RetagReport undo = tagger.undo(dir.resolve("run.jsonl"), dir.resolve("undo.jsonl"), null);
        assertEquals(dir.resolve("undo.jsonl"), undo.journal());
        Map<Path, TrackResult> undone = byFile(undo);
        assertEquals(files.size(), undo.results().size());
        for (Path f : files) {
            assertEquals(Outcome.RESTORED, undone.get(f).outcome(), undone.get(f).toString());
            Fields now = fields(List.of(f)).get(f);
            Fields was = before.get(f);
            if (was.id3() == 0 && now.id3() != 0 && !f.toString().endsWith(".mp3")) {
                // Documented: an ID3 chunk the run added to a WAV or AIFF file stays, without a genre.
                now = new Fields(now.genres(), 0, now.mtime());
            }
            assertEquals(was, now, "genres, ID3 version and mtime of " + f + " restored");
            assertArrayEquals(samples.get(f), TestLibrary.decode(pm, f), 0f, f.toString());
        }

        RetagReport redo = tagger.undo(dir.resolve("undo.jsonl"), dir.resolve("redo.jsonl"), null);
        Map<Path, TrackResult> redone = byFile(redo);
        for (Path f : files) {
            assertEquals(Outcome.RESTORED, redone.get(f).outcome(), redone.get(f).toString());
            assertEquals(afterRun.get(f), fields(List.of(f)).get(f), "undoing the undo gives " + f + " as the run left it");
        }
        assertEquals(TestLibrary.listFiles(lib).size(), files.size() + 3, "no temporary file left (3 .au files)");
    }

    @Test
    void undoSkipsWhatChangedSinceAndASecondUndoChangesNothing(@TempDir Path dir) throws Exception {
        Path lib = dir.toRealPath().resolve("lib");
        List<Path> files = TestLibrary.copyFormats(lib).stream().filter(f -> !f.toString().endsWith(".au")).toList();
        retag(lib, dir.resolve("run.jsonl"), null);
        Path edited = lib.resolve("tone.flac");
        TestLibrary.writeGenres(pm, edited, List.of("Edited"), Id3Version.V2_4);

        Map<Path, TrackResult> undone = byFile(tagger.undo(dir.resolve("run.jsonl"), dir.resolve("undo1.jsonl"), null));
        TrackResult skipped = undone.get(edited);
        assertEquals(Outcome.SKIPPED, skipped.outcome());
        assertTrue(skipped.message().contains("tone.flac") && skipped.message().contains("changed since the run"), skipped.message());
        assertEquals(List.of("Edited"), TestLibrary.readGenres(edited), "a file changed since the run is left alone");
        for (Path f : files) {
            if (!f.equals(edited)) {
                assertEquals(Outcome.RESTORED, undone.get(f).outcome(), undone.get(f).toString());
                assertEquals(List.of(), TestLibrary.readGenres(f), f.toString());
            }
        }

        Map<Path, byte[]> bytes = new LinkedHashMap<>();
        for (Path f : files) {
            bytes.put(f, Files.readAllBytes(f));
        }
        RetagReport again = tagger.undo(dir.resolve("run.jsonl"), dir.resolve("undo2.jsonl"), null);
        for (TrackResult r : again.results()) {
            assertTrue(r.outcome() == Outcome.UNCHANGED || r.outcome() == Outcome.SKIPPED, r.toString());
        }
        for (Path f : files) {
            assertArrayEquals(bytes.get(f), Files.readAllBytes(f), "a second undo of the same run wrote " + f);
        }
    }

    /**
     * An interrupted run's journal, as a kill at different moments leaves it: a file journalled
     * and replaced but not marked done, a file journalled but not yet replaced, a finished one, one
     * not reached, and a line torn by the kill. Resuming redoes only what is not done.
     */
    @Test
    void resumeSkipsFinishedTracksAndRedoesInterruptedOnes(@TempDir Path dir) throws Exception {
        Path lib = dir.toRealPath().resolve("lib");
        Path pristine = dir.resolve("pristine");
        List<Path> originals = TestLibrary.copyFormats(pristine);
        TestLibrary.copyTree(pristine, lib);
        List<Path> files = TestLibrary.listFiles(lib).stream().filter(f -> !f.toString().endsWith(".au")).toList();
        Path full = dir.resolve("full.jsonl");
        retag(lib, full, null);

        Path replacedNotDone = lib.resolve("tone.flac").toRealPath();
        Path journalledNotReplaced = lib.resolve("tone.ogg").toRealPath();
        Path notReached = lib.resolve("tone.wma").toRealPath();
        // The interrupted run's journal: everything of the full run but for those three's lines.
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(full, StandardCharsets.UTF_8)) {
            boolean done = line.contains("\"type\":\"done\"");
            if (line.contains(json(notReached)) || done && (line.contains(json(replacedNotDone)) || line.contains(json(journalledNotReplaced)))) {
                continue;
            }
            lines.add(line);
        }
        Path interrupted = dir.resolve("interrupted.jsonl");
        Files.write(interrupted, lines, StandardCharsets.UTF_8);
        Files.writeString(interrupted, "{\"type\":\"change\",\"file\":\"" + json(lib), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.copy(pristine.resolve("tone.ogg"), journalledNotReplaced, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pristine.resolve("tone.wma"), notReached, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<Path, byte[]> bytes = new LinkedHashMap<>();
        Map<Path, FileTime> mtimes = new LinkedHashMap<>();
        for (Path f : files) {
            bytes.put(f, Files.readAllBytes(f));
            mtimes.put(f, Files.getLastModifiedTime(f));
        }

        Map<Path, TrackResult> resumed = byFile(retag(lib, null, interrupted));
        assertEquals(files.size() + 1, resumed.size());
        for (Path f : files) {
            TrackResult r = resumed.get(f);
            if (f.equals(journalledNotReplaced) || f.equals(notReached)) {
                assertEquals(Outcome.TAGGED, r.outcome(), r.toString());
                assertEquals(List.of(r.top().get(0).genre()), TestLibrary.readGenres(f));
            } else {
                assertEquals(Outcome.SKIPPED, r.outcome(), r.toString());
                assertTrue(r.message().contains(f.equals(replacedNotDone) ? "tagged by the resumed run" : "done in the resumed run"),
                        r.message());
                assertArrayEquals(bytes.get(f), Files.readAllBytes(f), "resume rewrote " + f);
                assertEquals(mtimes.get(f), Files.getLastModifiedTime(f), "resume touched " + f);
            }
        }

        Map<Path, TrackResult> again = byFile(retag(lib, null, interrupted));
        for (Path f : files) {
            assertEquals(Outcome.SKIPPED, again.get(f).outcome(), "a second resume finds " + f + " done");
        }

        Map<Path, TrackResult> undone = byFile(tagger.undo(interrupted, dir.resolve("undo.jsonl"), null));
        for (Path f : files) {
            assertEquals(Outcome.RESTORED, undone.get(f).outcome(), undone.get(f).toString());
            assertEquals(List.of(), TestLibrary.readGenres(f), "the resumed run's journal undoes " + f);
        }
        assertFalse(originals.isEmpty());
    }

    /** How a path appears inside a journal line. */
    private static String json(Path p) {
        return new com.google.gson.Gson().toJson(p.toString());
    }
}
