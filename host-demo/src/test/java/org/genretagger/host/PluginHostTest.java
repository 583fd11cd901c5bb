package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.GenreScore;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.TrackResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.RuntimeMode;

/** The built plugin zip, loaded by PF4J in deployment mode, driven through the plugin API only. */
class PluginHostTest {
    private static PluginManager pm;

    @BeforeAll
    static void load() {
        pm = TestLibrary.loadPlugins();
    }

    @AfterAll
    static void unload() {
        pm.stopPlugins();
    }

    @Test
    void pluginLoadsFromItsZipWithBothExtensions() {
        assertEquals(RuntimeMode.DEPLOYMENT, pm.getRuntimeMode());
        assertEquals(PluginState.STARTED, pm.getPlugin("genre-plugin").getPluginState());
        assertEquals(1, pm.getExtensions(GenreClassifier.class).size());
        assertEquals(1, pm.getExtensions(LibraryTagger.class).size());
    }

    @Test
    void classifyRanksEveryGenreWithProbabilitiesSummingToOne() throws Exception {
        GenreClassifier c = pm.getExtensions(GenreClassifier.class).get(0);
        TrackPrediction p = c.classify(TestLibrary.fixtures().resolve("tone.flac"));
        assertEquals(c.modelInfo().labels().size(), p.genres().size());
        double sum = 0;
        for (int i = 0; i < p.genres().size(); i++) {
            sum += p.genres().get(i).probability();
            if (i > 0) {
                assertTrue(p.genres().get(i - 1).probability() >= p.genres().get(i).probability(), "sorted");
            }
        }
        assertEquals(1.0, sum, 1e-4);
        assertEquals(3.0, p.seconds(), 0.05);
        assertTrue(p.windows() >= 1);
    }

    @Test
    void retagWritesTheTopGenreIntoEveryFormatWithoutTouchingTheAudio(@TempDir Path dir) throws Exception {
        List<Path> files = TestLibrary.copyFormats(dir.resolve("library"));
        Map<Path, float[]> before = new HashMap<>();
        for (Path f : files) {
            before.put(f, TestLibrary.decode(pm, f));
        }
        LibraryTagger tagger = pm.getExtensions(LibraryTagger.class).get(0);
        RetagReport report = tagger.retag(RetagRequest.builder(dir.resolve("library")).policy(TagPolicy.REPLACE).minConfidence(0.0)
                .journal(dir.resolve("journal.jsonl")).build(), null);

        assertEquals(files.size(), report.results().size());
        for (TrackResult r : report.results()) {
            if (r.file().toString().endsWith(".au")) {
                assertEquals(Outcome.UNSUPPORTED, r.outcome(), r.toString());
                continue;
            }
            assertEquals(Outcome.TAGGED, r.outcome(), r.toString());
            assertEquals(List.of(r.top().get(0).genre()), r.genreAfter());
            assertEquals(r.genreAfter(), TestLibrary.readGenres(r.file()), r.file().toString());
            assertArrayEquals(before.get(r.file()), TestLibrary.decode(pm, r.file()), 0f, "decoded audio of " + r.file());
        }
        assertTrue(Files.size(dir.resolve("journal.jsonl")) > 0);
    }

    @Test
    void everyBadInputGetsItsOwnResultAndTheRunGoesOn(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("library");
        List<Path> good = TestLibrary.copyFormats(lib.resolve("good"));
        Path bad = Files.createDirectories(lib.resolve("bad"));
        byte[] mp3 = Files.readAllBytes(TestLibrary.fixtures().resolve("tone.mp3"));
        byte[] random = new byte[20000];
        new Random(3).nextBytes(random);
        Map<String, Path> inputs = Map.of(
                "zero", Files.write(bad.resolve("zero.mp3"), new byte[0]),
                "truncated", Files.write(bad.resolve("truncated.mp3"), java.util.Arrays.copyOf(mp3, 700)),
                "random", Files.write(bad.resolve("random.flac"), random),
                "text", Files.writeString(bad.resolve("notes.ogg"), "these are not the droids you are looking for\n"),
                "unreadable", Files.copy(TestLibrary.fixtures().resolve("tone.flac"), bad.resolve("locked.flac")));
        Files.createDirectories(bad.resolve("folder.mp3"));
        Files.setPosixFilePermissions(inputs.get("unreadable"), PosixFilePermissions.fromString("---------"));
        boolean rootCanRead = Files.isReadable(inputs.get("unreadable"));

        LibraryTagger tagger = pm.getExtensions(LibraryTagger.class).get(0);
        RetagReport report = tagger.retag(RetagRequest.builder(lib).policy(TagPolicy.REPLACE).minConfidence(0.0)
                .journal(dir.resolve("journal.jsonl")).build(), null);

        Map<Path, TrackResult> byFile = new HashMap<>();
        report.results().forEach(r -> byFile.put(r.file(), r));
        assertEquals(good.size() + inputs.size(), report.results().size(), "one result per track, the folder is not a track");
        for (String kind : List.of("zero", "random", "text")) {
            TrackResult r = byFile.get(inputs.get(kind));
            assertEquals(Outcome.FAILED, r.outcome(), kind + ": " + r);
            assertTrue(r.message().contains(inputs.get(kind).getFileName().toString()), kind + " message names the file: " + r.message());
            assertFalse(r.message().contains("\n"), "one line");
        }
        if (!rootCanRead) {
            TrackResult r = byFile.get(inputs.get("unreadable"));
            assertEquals(Outcome.FAILED, r.outcome());
            assertTrue(r.message().contains("locked.flac"), r.message());
        }
        TrackResult truncated = byFile.get(inputs.get("truncated"));
        assertTrue(truncated.outcome() == Outcome.FAILED || truncated.outcome() == Outcome.TAGGED, truncated.toString());
        for (Path f : good) {
            Outcome expected = f.toString().endsWith(".au") ? Outcome.UNSUPPORTED : Outcome.TAGGED;
            assertEquals(expected, byFile.get(f).outcome(), f.toString());
        }
        assertTrue(report.hasFailures());
        List<String> genres = report.results().stream().flatMap(r -> r.top().stream()).map(GenreScore::genre).distinct().toList();
        assertFalse(genres.isEmpty());
    }
}
