package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code learn} as a user runs it on a made-up tagged library ({@link GenreLibrary}), then
 * {@code retag --model} and {@code classify --model} with what it learned.
 */
class LearnTest {
    @TempDir
    static Path dir;
    static Path library;
    static Path model;
    static TestLibrary.CliRun first;

    @BeforeAll
    static void learnOnce() throws Exception {
        library = dir.resolve("library");
        GenreLibrary.make(library);
        Path aliases = dir.resolve("aliases.txt");
        Files.writeString(aliases, "# merges\nHeavy Metal = Metal\n");
        model = dir.resolve("model");
        first = TestLibrary.runCli("learn", library.toString(), "--out", model.toString(), "--min-tracks", "8", "--alias",
                aliases.toString());
    }

    private static JsonObject config(Path m) throws Exception {
        return JsonParser.parseString(Files.readString(m.resolve("config.json"))).getAsJsonObject();
    }

    private static List<String> genres(Path m) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        config(m).getAsJsonArray("genres").forEach(g -> out.add(g.getAsString()));
        return out;
    }

    @Test
    void learnsTheLibrarysGenresFarAboveChanceOnHeldOutAlbums() throws Exception {
        assertEquals(HostCli.OK, first.exit(), first.out());
        // Spellings merged, the alias folded in, the most common form written; Polka too small.
        assertEquals(List.of("Ambient", "Hip Hop", "Metal", "Plucked"), genres(model));
        Matcher m = Pattern.compile("held-out accuracy (\\d\\.\\d+)").matcher(first.out());
        assertTrue(m.find(), first.out());
        assertTrue(Double.parseDouble(m.group(1)) >= 0.75, "4 genres, chance 0.25: " + first.out());
        assertTrue(first.out().contains("left out: genre 'Polka': 3 tracks, fewer than --min-tracks 8"), first.out());
        assertTrue(first.out().contains("2 tracks have no genre tag"), first.out());
        assertTrue(first.out().contains("skipped: ") && first.out().contains("broken.wav") && first.out().contains("empty.wav"),
                first.out());
        assertTrue(first.lastLine().startsWith("use it: host-demo retag DIR --model " + model), first.lastLine());
        String report = Files.readString(model.resolve("REPORT.md"));
        assertTrue(report.contains("Confusion matrix") && report.contains("| Hip Hop |") && report.contains("## Reproduce"), report);
        JsonObject base = config(model).getAsJsonObject("base");
        assertEquals(64, base.get("weightsSha256").getAsString().length());
    }

    @Test
    void aRerunDecodesNothing() throws Exception {
        TestLibrary.CliRun again = TestLibrary.runCli("learn", library.toString(), "--out", model.toString(), "--min-tracks", "8",
                "--alias", dir.resolve("aliases.txt").toString());
        assertEquals(HostCli.OK, again.exit(), again.out());
        assertTrue(again.out().contains("features: 0 decoded"), again.out());
        assertEquals(List.of("Ambient", "Hip Hop", "Metal", "Plucked"), genres(model));
    }

    /** Runs a command, returning what it printed on standard error. */
    private static String stderrOf(int expectedExit, String... args) {
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            TestLibrary.CliRun r = TestLibrary.runCli(args);
            assertEquals(expectedExit, r.exit(), r.out());
        } finally {
            System.setErr(old);
        }
        return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void retagWithTheModelWritesTheUsersNames() throws Exception {
        Path untagged = dir.resolve("untagged");
        Map<GenreLibrary.Style, Path> files = new java.util.EnumMap<>(GenreLibrary.Style.class);
        for (GenreLibrary.Style s : GenreLibrary.Style.values()) {
            Path f = untagged.resolve(s + ".wav");
            GenreLibrary.write(new GenreLibrary.Track(f, s, null, null, null, 77_000 + s.ordinal()), 0);
            files.put(s, f);
        }
        TestLibrary.CliRun r = TestLibrary.runCli("retag", untagged.toString(), "--model", model.toString(), "--min-confidence", "0",
                "--journal", dir.resolve("j.jsonl").toString());
        assertEquals(HostCli.OK, r.exit(), r.out());
        Map<GenreLibrary.Style, String> written = files.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> {
            try {
                return String.join(";", TestLibrary.readGenres(e.getValue()));
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        }));
        assertEquals(Map.of(GenreLibrary.Style.BEAT, "Hip Hop", GenreLibrary.Style.PAD, "Ambient", GenreLibrary.Style.SAW, "Metal",
                GenreLibrary.Style.PLUCK, "Plucked"), written, r.out());

        TestLibrary.CliRun c = TestLibrary.runCli("classify", "--json", "--model", model.toString(), files.get(GenreLibrary.Style.PAD).toString());
        assertEquals(HostCli.OK, c.exit(), c.out());
        assertTrue(c.out().contains("\"genre\":\"Ambient\""), c.out());
    }

    /**
     * {@code retag --apply PLAN --model DIR}: the plan's genres are checked against the learned
     * model's genres, so a genre it learned is not flagged and one it does not know is.
     */
    @Test
    void applyingAPlanWithTheModelChecksGenresAgainstTheLearnedOnes() throws Exception {
        Path lib = dir.resolve("apply-lib");
        Path a = lib.resolve("a.wav");
        Path b = lib.resolve("b.wav");
        GenreLibrary.write(new GenreLibrary.Track(a, GenreLibrary.Style.PLUCK, null, null, null, 91_001), 0);
        GenreLibrary.write(new GenreLibrary.Track(b, GenreLibrary.Style.PAD, null, null, null, 91_002), 0);
        Path plan = dir.resolve("apply-plan.csv");
        // Plucked is one of the learned genres (the shipped model has no such genre); Polka is not.
        Files.writeString(plan, "# genre-tagger plan; root: " + lib + "\npath,size,mtime,genre_after\n"
                + a + "," + Files.size(a) + "," + Files.getLastModifiedTime(a).toInstant() + ",Plucked\n"
                + b + "," + Files.size(b) + "," + Files.getLastModifiedTime(b).toInstant() + ",Polka\n");
        TestLibrary.CliRun r = TestLibrary.runCli("retag", "--apply", plan.toString(), "--model", model.toString(), "--journal",
                dir.resolve("apply.jsonl").toString());
        assertEquals(HostCli.OK, r.exit(), r.out());
        assertEquals(List.of("Plucked"), TestLibrary.readGenres(a));
        assertEquals(List.of("Polka"), TestLibrary.readGenres(b));
        assertTrue(r.out().contains("note: written as given, not one of the model's genres: Polka (1 track: b.wav)"), r.out());
        assertFalse(r.out().contains("Plucked ("), "a genre the model learned is not flagged: " + r.out());
    }

    @Test
    void aModelLearnedOnAnotherBaseIsRefused() throws Exception {
        Path other = dir.resolve("other-base");
        Files.createDirectories(other);
        JsonObject cfg = config(model);
        cfg.getAsJsonObject("base").addProperty("weightsSha256", "0".repeat(64));
        Files.writeString(other.resolve("config.json"), cfg.toString());
        String c = stderrOf(HostCli.USAGE, "classify", "--model", other.toString(), library.resolve("broken.wav").toString());
        assertTrue(c.contains("was learned on base network") && c.contains("learn it again with this plugin"), c);
        String r = stderrOf(HostCli.USAGE, "retag", library.toString(), "--dry-run", "--model", other.toString());
        assertTrue(r.contains("learn it again with this plugin"), r);
    }

    @Test
    void tooLittleDataStopsBeforeAnyWork() throws Exception {
        Path m = dir.resolve("too-little");
        String err = stderrOf(HostCli.SOME_FAILED, "learn", library.toString(), "--out", m.toString(), "--min-tracks", "13");
        assertTrue(err.contains("too little to learn from") && err.contains("lower --min-tracks"), err);
        assertFalse(Files.exists(m), "nothing decoded, nothing written");
    }
}
