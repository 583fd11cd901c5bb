package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import org.genretagger.api.TrackResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginManager;

/**
 * Writes that cannot be made safely are refused, per file, with a one-line message naming the
 * file, and leave it exactly as it was with no temporary file behind: read-only files and folders
 * (by permission bits, honoured even for root, and by the immutable attribute), hard-linked files,
 * files changed during the run, a full disk.
 */
class SafeWriteTest {
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

    private static RetagReport retag(Path lib, Path journal) {
        return tagger.retag(RetagRequest.builder(lib).policy(TagPolicy.REPLACE).minConfidence(0.0).journal(journal).build(), null);
    }

    private static Map<Path, TrackResult> byFile(RetagReport report) {
        Map<Path, TrackResult> m = new HashMap<>();
        report.results().forEach(r -> m.put(r.file(), r));
        return m;
    }

    /** The refusal every unsafe write must give: FAILED, one line, naming the file, saying why. */
    private static void assertRefused(TrackResult r, String why, byte[] before) throws IOException {
        assertEquals(Outcome.FAILED, r.outcome(), r.toString());
        assertTrue(r.message().contains(r.file().getFileName().toString()), "names the file: " + r.message());
        assertTrue(r.message().contains(why), "says why (" + why + "): " + r.message());
        assertTrue(r.message().contains("left as it is"), r.message());
        assertFalse(r.message().contains("\n"), r.message());
        assertArrayEquals(before, Files.readAllBytes(r.file()), "nothing written to " + r.file());
        assertEquals(r.genreBefore(), r.genreAfter());
    }

    private static void assertNoTemporaryFiles(Path dir) throws IOException {
        for (Path p : TestLibrary.listFiles(dir)) {
            assertFalse(TestLibrary.isTempName(p.getFileName().toString()), "left behind: " + p);
        }
    }

    private static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0; // its output has ended: it is ending, however slowly
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void readOnlyFilesAndFoldersByPermissionAreLeftAlone(@TempDir Path dir) throws Exception {
        Path lib = dir.toRealPath().resolve("lib");
        Path file = Files.copy(TestLibrary.fixtures().resolve("tone.flac"), Files.createDirectories(lib).resolve("tone.flac"));
        Path lockedDir = Files.createDirectories(lib.resolve("locked"));
        Path inLocked = Files.copy(TestLibrary.fixtures().resolve("tone.mp3"), lockedDir.resolve("tone.mp3"));
        Path fine = Files.copy(TestLibrary.fixtures().resolve("tone.ogg"), lib.resolve("tone.ogg"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(lockedDir, PosixFilePermissions.fromString("r-xr-xr-x"));
        byte[] fileBytes = Files.readAllBytes(file);
        byte[] lockedBytes = Files.readAllBytes(inLocked);
        try {
            Map<Path, TrackResult> r = byFile(retag(lib, dir.resolve("j.jsonl")));
            assertRefused(r.get(file), "file is read-only", fileBytes);
            assertRefused(r.get(inLocked), "folder is read-only", lockedBytes);
            assertEquals(Outcome.TAGGED, r.get(fine).outcome(), "the others are tagged: " + r.get(fine));
            assertNoTemporaryFiles(lib);
            assertFalse(Files.readString(dir.resolve("j.jsonl")).contains("tone.flac\",\"before"), "no change journalled");
        } finally {
            Files.setPosixFilePermissions(lockedDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** The immutable attribute makes the file system itself refuse (even root); skipped where chattr cannot set it. */
    @Test
    void immutableFilesAndFoldersAreLeftAlone(@TempDir Path dir) throws Exception {
        Path lib = dir.toRealPath().resolve("lib");
        Path file = Files.copy(TestLibrary.fixtures().resolve("tone.flac"), Files.createDirectories(lib).resolve("tone.flac"));
        Path frozenDir = Files.createDirectories(lib.resolve("frozen"));
        Path inFrozen = Files.copy(TestLibrary.fixtures().resolve("tone.wav"), frozenDir.resolve("tone.wav"));
        Assumptions.assumeTrue(run("chattr", "+i", file.toString()), "chattr +i is not available here");
        try {
            Assumptions.assumeTrue(run("chattr", "+i", frozenDir.toString()), "chattr +i on a folder is not available here");
            byte[] fileBytes = Files.readAllBytes(file);
            byte[] frozenBytes = Files.readAllBytes(inFrozen);
            Map<Path, TrackResult> r = byFile(retag(lib, dir.resolve("j.jsonl")));
            assertRefused(r.get(file), "read-only", fileBytes);
            assertRefused(r.get(inFrozen), "read-only", frozenBytes);
            assertNoTemporaryFiles(lib);
        } finally {
            run("chattr", "-i", file.toString());
            run("chattr", "-i", frozenDir.toString());
        }
    }

    @Test
    void hardLinkedFilesAreNotSplitApart(@TempDir Path dir) throws Exception {
        Path lib = dir.toRealPath().resolve("lib");
        Path file = Files.copy(TestLibrary.fixtures().resolve("tone.m4a"), Files.createDirectories(lib).resolve("tone.m4a"));
        Path seeding = Files.createLink(Files.createDirectories(dir.resolve("downloads")).resolve("tone.m4a"), file);
        byte[] before = Files.readAllBytes(file);
        Map<Path, TrackResult> r = byFile(retag(lib, dir.resolve("j.jsonl")));
        assertRefused(r.get(file), "has 2 hard links", before);
        assertEquals(Files.getAttribute(file, "unix:ino"), Files.getAttribute(seeding, "unix:ino"), "still one file");
        assertNoTemporaryFiles(lib);
    }

    /**
     * Another program rewrites a file (its first byte, with itself) while the run works on it:
     * one file after the run read its tags and classified it, just before its write starts;
     * another while its write is under way, once the tagged copy is made and before it replaces
     * the file. Both writes are refused; each file keeps the other program's version.
     *
     * <p>The other program acts through the writer's step hook, at exactly those two points: a
     * thread touching the file every millisecond could, on a busy machine, miss the window.
     */
    @Test
    void aFileChangedDuringTheRunIsLeftAlone(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.toRealPath().resolve("lib"));
        Path beforeWrite = lib.resolve("busy-before.wav");
        Path duringWrite = lib.resolve("busy-during.wav");
        writeWav(beforeWrite, 10);
        writeWav(duringWrite, 12);
        Path calm = Files.copy(TestLibrary.fixtures().resolve("tone.flac"), lib.resolve("calm.flac"));
        Map<Path, byte[]> before = Map.of(beforeWrite, Files.readAllBytes(beforeWrite), duringWrite, Files.readAllBytes(duringWrite));
        // "start": the track, before it is checked against how it looked when its tags were read;
        // "copy": the tagged temporary copy (.gtmp.NAME beside the track), before it is verified.
        Map<String, Path> touchAt = Map.of("start", beforeWrite, "copy", duringWrite);
        List<String> touched = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        TestLibrary.setWriteStepHook(pm, (step, file) -> {
            Path track = step.equals("copy") ? file.resolveSibling(file.getFileName().toString().substring(".gtmp.".length())) : file;
            if (track.equals(touchAt.get(step))) {
                touch(track);
                touched.add(step + " " + track.getFileName());
            }
        });
        RetagReport report;
        try {
            report = retag(lib, dir.resolve("j.jsonl"));
        } finally {
            TestLibrary.setWriteStepHook(pm, null);
        }
        assertEquals(List.of("copy busy-during.wav", "start busy-before.wav"), touched.stream().sorted().toList(),
                "the other program changed each file once, at its point");
        Map<Path, TrackResult> r = byFile(report);
        assertRefused(r.get(beforeWrite), "changed by something else during the run", before.get(beforeWrite));
        assertRefused(r.get(duringWrite), "changed by something else during the run", before.get(duringWrite));
        assertEquals(Outcome.TAGGED, r.get(calm).outcome(), r.get(calm).toString());
        assertNoTemporaryFiles(lib);
        String journal = Files.readString(dir.resolve("j.jsonl"));
        assertFalse(journal.contains("busy-before.wav\",\"before"), "no change journalled");
        assertFalse(journal.contains("busy-during.wav\",\"before"), "no change journalled");
    }

    /**
     * What the other program does: rewrites the file's first byte with itself (same size, same
     * bytes; the file's modification time, set far in the past by {@link #writeWav}, becomes now).
     */
    private static void touch(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer first = ByteBuffer.allocate(1);
            ch.read(first, 0);
            first.flip();
            ch.write(first, 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A full disk: a small tmpfs (skipped where it cannot be mounted), filled up. Every write fails
     * cleanly; once there is room again the same run works. A journal that cannot be written stops
     * the run before any file is touched.
     */
    @Test
    void aFullDiskFailsEachFileCleanlyAndNothingIsHalfWritten(@TempDir Path dir) throws Exception {
        Path mnt = Files.createDirectories(dir.toRealPath().resolve("small"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString()),
                "cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN)");
        try {
            Path lib = Files.createDirectories(mnt.resolve("lib"));
            List<Path> files = List.of(Files.copy(TestLibrary.fixtures().resolve("tone.mp3"), lib.resolve("tone.mp3")),
                    Files.copy(TestLibrary.fixtures().resolve("tone.opus"), lib.resolve("tone.opus")),
                    Files.copy(TestLibrary.fixtures().resolve("tone.ogg"), lib.resolve("tone.ogg")));
            Map<Path, byte[]> before = new HashMap<>();
            for (Path f : files) {
                before.put(f, Files.readAllBytes(f));
            }
            Path filler = mnt.resolve("filler");
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException full) {
                assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
            }

            RetagReport report = retag(lib, dir.resolve("j.jsonl"));
            for (Path f : files) {
                TrackResult r = byFile(report).get(f);
                assertRefused(r, "no space left on device", before.get(f));
            }
            assertNoTemporaryFiles(lib);

            RetagReport noJournal = retag(lib, mnt.resolve("journal.jsonl"));
            assertEquals(1, noJournal.results().size());
            TrackResult j = noJournal.results().get(0);
            assertEquals(Outcome.FAILED, j.outcome());
            assertTrue(j.message().startsWith("journal: ") && j.message().contains("No space left"), j.message());
            for (Path f : files) {
                assertArrayEquals(before.get(f), Files.readAllBytes(f));
            }

            Files.delete(filler);
            Files.deleteIfExists(mnt.resolve("journal.jsonl"));
            for (TrackResult r : retag(lib, dir.resolve("j2.jsonl")).results()) {
                assertEquals(Outcome.TAGGED, r.outcome(), "with room again: " + r);
            }
        } finally {
            run("umount", mnt.toString());
        }
    }

    /** A mono 16-bit PCM WAV of a few tones and noise, its modification time in 2001. */
    private static void writeWav(Path file, int seconds) throws IOException {
        int rate = 22050;
        int n = rate * seconds;
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * n).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
                .putInt(2 * rate).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * n);
        java.util.Random noise = new java.util.Random(7);
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            double v = 0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * (330 + 50 * Math.sin(t)) * t)
                    + 0.05 * noise.nextGaussian();
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32767))));
        }
        Files.write(file, b.array());
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
    }
}
