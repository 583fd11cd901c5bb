package org.genretagger.plugin.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal survives what a crash does to it, and temporary files are recognised by name. */
class JournalTest {
    private static Journal.Change change(Path file) {
        return new Journal.Change(file, List.of("Folk"), List.of("Rock", "Metal"), "aa", "bb", 3, 4,
                FileTime.fromMillis(1_000_000_000_123L));
    }

    @Test
    void roundTripsEveryField(@TempDir Path dir) throws IOException {
        Path j = dir.resolve("j.jsonl");
        try (Journal journal = Journal.open(j, "retag", dir)) {
            journal.change(change(dir.resolve("a.mp3")));
            journal.done(dir.resolve("a.mp3"), "TAGGED");
        }
        Journal.Contents c = Journal.read(j);
        assertEquals(List.of(change(dir.resolve("a.mp3"))), c.changes());
        assertEquals(List.of(dir.resolve("a.mp3")), c.done());
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheNextRunAppendsCleanly(@TempDir Path dir) throws IOException {
        Path j = dir.resolve("j.jsonl");
        try (Journal journal = Journal.open(j, "retag", dir)) {
            journal.change(change(dir.resolve("a.mp3")));
        }
        // A crash in the middle of a line, even in the middle of a multi-byte character.
        byte[] torn = "{\"type\":\"done\",\"file\":\"/x/\u00e9".getBytes(StandardCharsets.UTF_8);
        Files.write(j, java.util.Arrays.copyOf(torn, torn.length - 1), StandardOpenOption.APPEND);
        assertEquals(1, Journal.read(j).changes().size(), "torn last line ignored");
        try (Journal journal = Journal.open(j, "retag", dir)) {
            journal.done(dir.resolve("a.mp3"), "SKIPPED");
        }
        Journal.Contents c = Journal.read(j);
        assertEquals(1, c.changes().size());
        assertEquals(List.of(dir.resolve("a.mp3")), c.done(), "the next run's lines are read after the torn one");
    }

    @Test
    void damageElsewhereIsAnErrorNotSilence(@TempDir Path dir) throws IOException {
        Path j = dir.resolve("j.jsonl");
        try (Journal journal = Journal.open(j, "retag", dir)) {
            journal.change(change(dir.resolve("a.mp3")));
        }
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(j));
        lines.add(1, "{\"type\":\"change\",\"fi");
        Files.write(j, lines);
        IOException e = assertThrows(IOException.class, () -> Journal.read(j));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Path notJournal = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        assertThrows(IOException.class, () -> Journal.read(notJournal));
    }

    @Test
    void journalsWithoutTheNewerFieldsStillRead(@TempDir Path dir) throws IOException {
        Path j = Files.writeString(dir.resolve("old.jsonl"), "{\"type\":\"run\",\"kind\":\"retag\",\"root\":\"/m\",\"time\":\"t\"}\n"
                + "{\"type\":\"change\",\"file\":\"/m/a.mp3\",\"before\":[],\"after\":[\"Rock\"],\"sha256Before\":\"aa\",\"sha256After\":\"bb\"}\n");
        Journal.Change c = Journal.read(j).changes().get(0);
        assertEquals(0, c.id3Before());
        assertEquals(null, c.mtimeBefore());
    }

    @Test
    void temporaryFilesAreRecognisedByNameOnly() {
        Path d = Path.of("/music");
        assertTrue(SafeTagWriter.isTemp(SafeTagWriter.tempFor(d.resolve("Song.flac"))));
        assertEquals(".gtmp.Song.flac", SafeTagWriter.tempFor(d.resolve("Song.flac")).getFileName().toString());
        assertTrue(SafeTagWriter.isTemp(d.resolve("_gtmp_Song_flac8812371.tmp")), "Jaudiotagger's temp of our copy");
        assertTrue(SafeTagWriter.isTemp(d.resolve("gt-opus-1234567.tmp")), "the Opus writer's temp");
        assertTrue(SafeTagWriter.isTemp(d.resolve(".Song.gtmp.flac")), "an earlier build's copy");
        for (String keep : List.of("Song.flac", ".Song.flac", "gtmp.flac", "notes.tmp", "_Song_flac123.tmp", "gt-opus-x.tmp", ".gtmp")) {
            assertFalse(SafeTagWriter.isTemp(d.resolve(keep)), keep);
        }
        String longName = "x".repeat(250) + ".flac";
        Path t = SafeTagWriter.tempFor(d.resolve(longName));
        assertTrue(t.getFileName().toString().getBytes(StandardCharsets.UTF_8).length <= 255, "fits a file name");
        assertTrue(SafeTagWriter.isTemp(t) && t.toString().endsWith(".flac"), t.toString());
    }
}
