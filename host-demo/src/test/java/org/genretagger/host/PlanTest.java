package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code retag --dry-run --plan}, edited as a user would, then {@code retag --apply}: exactly the
 * rows left are written with their values, stale files are skipped, undo restores everything, and
 * a malformed plan writes nothing.
 */
class PlanTest {

    @Test
    void aPlanEditedInASpreadsheetIsAppliedExactlyAndUndone(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("lib");
        List<Path> files = TestLibrary.copyFormats(lib);
        Map<Path, byte[]> original = new LinkedHashMap<>();
        for (Path f : files) {
            original.put(f, Files.readAllBytes(f));
        }
        Path plan = dir.resolve("plan.csv");
        TestLibrary.CliRun dry = TestLibrary.runCli("retag", lib.toString(), "--dry-run", "--min-confidence", "0", "--plan", plan.toString());
        assertEquals(HostCli.OK, dry.exit(), dry.out());
        for (Path f : files) {
            assertArrayEquals(original.get(f), Files.readAllBytes(f), "planning wrote to " + f);
        }

        // The plan: every track but the untaggable .au, each with its size and mtime now.
        List<String> header;
        String comment;
        List<Map<String, String>> rows = new ArrayList<>();
        CSVFormat in = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setCommentMarker('#').get();
        try (Reader r = Files.newBufferedReader(plan); CSVParser p = CSVParser.parse(r, in)) {
            header = p.getHeaderNames();
            comment = p.getHeaderComment();
            for (CSVRecord rec : p) {
                rows.add(new LinkedHashMap<>(rec.toMap()));
            }
        }
        assertEquals(List.of("path", "size", "mtime", "genre_before", "genre_after", "confidence", "album", "reason"), header);
        assertTrue(comment.contains("root: " + lib.toAbsolutePath()), comment);
        assertEquals(files.size() - 1, rows.size(), rows.toString());
        for (Map<String, String> row : rows) {
            Path f = Path.of(row.get("path"));
            assertEquals(Files.size(f), Long.parseLong(row.get("size")), f.toString());
            assertEquals(Files.getLastModifiedTime(f).toInstant(), Instant.parse(row.get("mtime")), f.toString());
            assertEquals("", row.get("genre_before"));
            assertFalse(row.get("genre_after").isBlank(), f.toString());
            assertTrue(row.get("reason").startsWith("no genre yet; model: " + row.get("genre_after")), row.toString());
        }

        // The user's edits: drop the MP3, their own genre for the FLAC, two genres for the Ogg;
        // and the WAV is touched by another program after planning.
        rows.removeIf(r -> r.get("path").endsWith("tone.mp3"));
        row(rows, "tone.flac").put("genre_after", "Shoegaze");
        row(rows, "tone.ogg").put("genre_after", "Jazz; Blues");
        Path wav = lib.resolve("tone.wav");
        Files.setLastModifiedTime(wav, FileTime.from(Files.getLastModifiedTime(wav).toInstant().plusSeconds(60)));
        byte[] wavBytes = Files.readAllBytes(wav);
        CSVFormat out = CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).setCommentMarker('#')
                .setHeaderComments(comment).get();
        try (Writer w = Files.newBufferedWriter(plan); CSVPrinter p = new CSVPrinter(w, out)) {
            for (Map<String, String> row : rows) {
                p.printRecord(header.stream().map(row::get).toList());
            }
        }

        Path journal = dir.resolve("apply.jsonl");
        TestLibrary.CliRun apply = TestLibrary.runCli("retag", "--apply", plan.toString(), "--journal", journal.toString());
        assertEquals(HostCli.OK, apply.exit(), apply.out());
        assertTrue(apply.out().contains("skipped: tone.wav: changed since it was planned"), apply.out());
        assertTrue(apply.out().contains("note: written as given, not one of the model's genres: Shoegaze (1 track: tone.flac)"), apply.out());
        assertFalse(apply.out().contains("Jazz (") || apply.out().contains("Blues ("), "the model's genres are not listed: " + apply.out());

        int written = 0;
        for (Path f : files) {
            String name = f.getFileName().toString();
            Map<String, String> row = rows.stream().filter(r -> Path.of(r.get("path")).equals(f.toAbsolutePath())).findFirst().orElse(null);
            if (row == null || name.equals("tone.wav")) {
                assertArrayEquals(name.equals("tone.wav") ? wavBytes : original.get(f), Files.readAllBytes(f), name + " was not to be written");
            } else {
                List<String> want = Arrays.stream(row.get("genre_after").split(";")).map(String::strip).toList();
                assertEquals(want, TestLibrary.readGenres(f), name);
                written++;
            }
        }
        assertEquals(files.size() - 3, written);

        TestLibrary.CliRun undo = TestLibrary.runCli("undo", journal.toString(), "--journal", dir.resolve("undo.jsonl").toString());
        assertEquals(HostCli.OK, undo.exit(), undo.out());
        for (Path f : files) {
            if (!f.toString().endsWith(".au")) {
                assertEquals(List.of(), TestLibrary.readGenres(f), "undo restored " + f);
            }
        }
    }

    @Test
    void aJsonPlanAppliesAsWrittenAndAMalformedOneWritesNothing(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("lib");
        Files.createDirectories(lib);
        Path mp3 = Files.copy(TestLibrary.fixtures().resolve("tone.mp3"), lib.resolve("tone.mp3"));
        Path opus = Files.copy(TestLibrary.fixtures().resolve("tone.opus"), lib.resolve("tone.opus"));
        Path plan = dir.resolve("plan.json");
        assertEquals(HostCli.OK, TestLibrary.runCli("retag", lib.toString(), "--dry-run", "--min-confidence", "0", "--plan", plan.toString()).exit());
        JsonObject json = JsonParser.parseString(Files.readString(plan)).getAsJsonObject();
        assertEquals(lib.toAbsolutePath().toString(), json.get("root").getAsString());
        assertEquals(2, json.getAsJsonArray("changes").size());

        // A CSV plan whose second row cannot be applied: nothing at all is written.
        byte[] mp3Bytes = Files.readAllBytes(mp3);
        byte[] opusBytes = Files.readAllBytes(opus);
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "# genre-tagger plan; root: " + lib + "\npath,size,mtime,genre_after\n"
                + mp3 + "," + Files.size(mp3) + "," + Files.getLastModifiedTime(mp3).toInstant() + ",Rock\n"
                + opus + ",12kB," + Files.getLastModifiedTime(opus).toInstant() + ",Rock\n");
        Path badJournal = dir.resolve("bad.jsonl");
        String[] err = new String[1];
        TestLibrary.CliRun refused = withStderr(err, () -> TestLibrary.runCli("retag", "--apply", bad.toString(), "--journal", badJournal.toString()));
        assertEquals(HostCli.USAGE, refused.exit(), refused.out());
        assertTrue(err[0].contains(bad + " line 4: size '12kB' is not a whole number of bytes"), err[0]);
        assertArrayEquals(mp3Bytes, Files.readAllBytes(mp3));
        assertArrayEquals(opusBytes, Files.readAllBytes(opus));
        assertFalse(Files.exists(badJournal), "no journal for a refused plan");

        Path journal = dir.resolve("apply.jsonl");
        TestLibrary.CliRun apply = TestLibrary.runCli("retag", "--apply", plan.toString(), "--journal", journal.toString());
        assertEquals(HostCli.OK, apply.exit(), apply.out());
        for (var change : json.getAsJsonArray("changes")) {
            JsonObject c = change.getAsJsonObject();
            List<String> want = new ArrayList<>();
            c.getAsJsonArray("genre_after").forEach(g -> want.add(g.getAsString()));
            assertEquals(want, TestLibrary.readGenres(Path.of(c.get("path").getAsString())), c.toString());
        }
    }

    private static Map<String, String> row(List<Map<String, String>> rows, String name) {
        return rows.stream().filter(r -> r.get("path").endsWith("/" + name)).findFirst().orElseThrow();
    }

    /** Runs with standard error captured (the CLI's one-line errors go there). */
    static TestLibrary.CliRun withStderr(String[] err, java.util.function.Supplier<TestLibrary.CliRun> run) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return run.get();
        } finally {
            System.setErr(old);
            err[0] = buf.toString(StandardCharsets.UTF_8);
        }
    }
}
