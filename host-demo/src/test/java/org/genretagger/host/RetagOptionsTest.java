package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code retag} and {@code undo} as a user runs them: options from a config file, the command
 * line winning (also over flags set in the file, and label by label over genre names), what the
 * output says about the threshold, leftovers and the journal.
 */
class RetagOptionsTest {
    private static final FileTime OLD = FileTime.from(Instant.parse("2001-09-09T01:46:40Z"));


    private static TestLibrary.CliRun run(String... args) {
        return TestLibrary.runCli(args);
    }

    private static Path library(Path dir, String name) throws Exception {
        Path lib = dir.toRealPath().resolve(name);
        for (Path f : TestLibrary.copyFormats(lib)) {
            Files.setLastModifiedTime(f, OLD);
        }
        return lib;
    }

    private static JsonObject report(Path json) throws Exception {
        return JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    }

    private static List<String> paths(JsonObject report) {
        List<String> out = new ArrayList<>();
        for (JsonElement t : report.getAsJsonArray("tracks")) {
            out.add(Path.of(t.getAsJsonObject().get("path").getAsString()).getFileName().toString());
        }
        return out.stream().sorted().toList();
    }

    @Test
    void configFileGivesDefaultsAndTheCommandLineWins(@TempDir Path dir) throws Exception {
        TestLibrary.CliRun classify = run("classify", "--json", TestLibrary.fixtures().resolve("tone.flac").toString());
        List<String> labels = new ArrayList<>();
        JsonParser.parseString(classify.out().strip()).getAsJsonObject().getAsJsonArray("genres")
                .forEach(g -> labels.add(g.getAsJsonObject().get("label").getAsString()));
        assertTrue(labels.size() >= 10, "the model's labels: " + labels);
        // Every label named "Cfg": one genre of probability 1, whatever the model hears.
        String allCfg = labels.stream().map(l -> l + "=Cfg").collect(Collectors.joining(","));
        Path cfg = dir.resolve("config.properties");
        Files.writeString(cfg, String.join("\n", "policy=replace", "min-confidence=0", "genre-name=" + allCfg, "exclude=*.wma",
                "keep-mtime=true", "follow-symlinks=true", "threads=1", "max-genres=2", "verify=decode", ""));

        // The config alone (every format then written with the decoded-sample check).
        Path lib = library(dir, "a");
        Files.createSymbolicLink(lib.resolve("link.flac"), lib.resolve("tone.flac"));
        TestLibrary.CliRun a = run("retag", lib.toString(), "--config", cfg.toString(), "--journal", dir.resolve("a.jsonl").toString(),
                "--report", dir.resolve("a.json").toString());
        assertEquals(HostCli.OK, a.exit(), a.out());
        JsonObject ra = report(dir.resolve("a.json"));
        assertFalse(paths(ra).contains("tone.wma"), "exclude from the config");
        assertFalse(a.out().contains("not followed (use"), "follow-symlinks from the config: " + a.out());
        for (JsonElement e : ra.getAsJsonArray("tracks")) {
            JsonObject t = e.getAsJsonObject();
            Path f = Path.of(t.get("path").getAsString());
            if (f.toString().endsWith(".au")) {
                continue;
            }
            assertEquals("tagged", t.get("outcome").getAsString(), "policy replace, min-confidence 0: " + t);
            assertEquals(List.of("Cfg"), TestLibrary.readGenres(f), "genre names from the config: " + f);
            assertEquals(OLD, Files.getLastModifiedTime(f), "keep-mtime from the config: " + f);
        }
        assertTrue(a.lastLine().startsWith("journal: " + dir.resolve("a.jsonl")), a.lastLine());

        // The command line wins: another exclude list, no mtime kept, links not followed, one label renamed.
        Path lib2 = library(dir, "b");
        // A genre label: at min-confidence 0 the shipped model's not-music class is set aside.
        String renamed = labels.stream().filter(l -> !l.equals("notmusic")).findFirst().orElseThrow();
        Files.createSymbolicLink(lib2.resolve("link.flac"), lib2.resolve("tone.flac"));
        TestLibrary.CliRun b = run("retag", lib2.toString(), "--config", cfg.toString(), "--journal", dir.resolve("b.jsonl").toString(),
                "--report", dir.resolve("b.json").toString(), "--exclude", "*.flac", "--no-keep-mtime", "--no-follow-symlinks",
                "--genre-name", renamed + "=Cli", "--verify", "packets");
        assertEquals(HostCli.OK, b.exit(), b.out());
        JsonObject rb = report(dir.resolve("b.json"));
        assertTrue(paths(rb).contains("tone.wma") && !paths(rb).contains("tone.flac"), paths(rb).toString());
        assertTrue(b.out().contains("note: 1 symbolic link(s) not followed"), b.out());
        for (JsonElement e : rb.getAsJsonArray("tracks")) {
            JsonObject t = e.getAsJsonObject();
            Path f = Path.of(t.get("path").getAsString());
            if (f.toString().endsWith(".au")) {
                continue;
            }
            Set<String> names = new HashSet<>();
            t.getAsJsonArray("top").forEach(g -> names.add(g.getAsJsonObject().get("genre").getAsString()));
            assertEquals(Set.of("Cfg", "Cli"), names, "one label renamed on the command line, the others by the config: " + t);
            assertTrue(Files.getLastModifiedTime(f).toInstant().isAfter(OLD.toInstant()), "--no-keep-mtime wins: " + f);
        }

        // The policy from the command line: lib a is tagged now, and fill-empty leaves it alone.
        TestLibrary.CliRun c = run("retag", lib.toString(), "--config", cfg.toString(), "--journal", dir.resolve("c.jsonl").toString(),
                "--policy", "fill-empty", "--report", dir.resolve("c.json").toString());
        assertEquals(HostCli.OK, c.exit(), c.out());
        for (JsonElement e : report(dir.resolve("c.json")).getAsJsonArray("tracks")) {
            JsonObject t = e.getAsJsonObject();
            if (!t.get("path").getAsString().endsWith(".au")) {
                assertEquals("skipped", t.get("outcome").getAsString(), t.toString());
            }
        }

        // Undo through the CLI, its journal where asked, and the last line says how to undo that.
        TestLibrary.CliRun undo = run("undo", dir.resolve("a.jsonl").toString(), "--journal", dir.resolve("undo.jsonl").toString());
        assertEquals(HostCli.OK, undo.exit(), undo.out());
        assertTrue(undo.out().contains("restored") && undo.lastLine().startsWith("journal: " + dir.resolve("undo.jsonl")), undo.out());
        assertEquals(List.of(), TestLibrary.readGenres(lib.resolve("tone.flac")));

        assertEquals(HostCli.USAGE, run("retag", lib.toString(), "--config", dir.resolve("missing.properties").toString()).exit());
        TestLibrary.CliRun badVerify = run("retag", lib.toString(), "--config", cfg.toString(), "--verify", "sample");
        assertEquals(HostCli.USAGE, badVerify.exit(), badVerify.out());
    }

    @Test
    void theOutputSaysWhatTheThresholdMeansWhatWasCleanedAndWhereTheJournalIs(@TempDir Path dir) throws Exception {
        Path lib = library(dir, "lib");
        Files.write(lib.resolve(".gtmp.tone.mp3"), new byte[10]);
        Files.write(lib.resolve("_gtmp_tone_mp3123456.tmp"), new byte[10]);
        Path empty = Files.writeString(dir.resolve("empty.properties"), "");
        TestLibrary.CliRun r = run("retag", lib.toString(), "--config", empty.toString(), "--journal", dir.resolve("j.jsonl").toString());
        assertEquals(HostCli.OK, r.exit(), r.out());
        String header = r.out().lines().filter(l -> l.startsWith("retag " + lib)).findFirst().orElse("");
        assertTrue(header.matches("retag .*: policy fill-empty, min confidence \\d\\.\\d\\d( \\(.+\\))?"), header);
        if (r.out().contains("low_confidence") || r.out().contains("low confidence ")) {
            assertTrue(r.out().contains("low confidence: top genre below"), r.out());
        }
        assertTrue(r.out().contains("note: removed 2 leftover temporary files of an interrupted run"), r.out());
        assertTrue(r.lastLine().startsWith("journal: " + dir.resolve("j.jsonl") + " (undo with: "), r.lastLine());

        TestLibrary.CliRun given = run("retag", lib.toString(), "--config", empty.toString(), "--journal", dir.resolve("k.jsonl").toString(),
                "--min-confidence", "0.5", "--dry-run");
        assertTrue(given.out().contains("min confidence 0.50 (given; the model's own threshold is "), given.out());
        assertTrue(given.lastLine().startsWith("dry run: nothing written"), given.lastLine());
    }
}
