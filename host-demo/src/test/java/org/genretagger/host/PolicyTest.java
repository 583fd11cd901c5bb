package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.GenreScore;
import org.genretagger.api.Id3Version;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.ModelInfo;
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

/**
 * What each choice a user has does, per format, through the plugin API, with the result read back
 * by Jaudiotagger: policies, the confidence threshold, several genres, mtime and permissions,
 * include/exclude globs, symbolic links. Nothing here depends on which genre the model picks:
 * expectations come from each result's own ranking, or from a learned model made to be undecided.
 */
class PolicyTest {
    private static PluginManager pm;
    private static LibraryTagger tagger;
    private static GenreClassifier classifier;

    @BeforeAll
    static void load() {
        pm = TestLibrary.loadPlugins();
        tagger = pm.getExtensions(LibraryTagger.class).get(0);
        classifier = pm.getExtensions(GenreClassifier.class).get(0);
    }

    @AfterAll
    static void unload() {
        pm.stopPlugins();
    }

    /** Every format twice: {@code none/} without a genre, {@code folk/} with "Folk". */
    private static Path library(Path dir, String name) throws Exception {
        Path lib = dir.toRealPath().resolve(name);
        TestLibrary.copyFormats(lib.resolve("none"));
        for (Path f : TestLibrary.copyFormats(lib.resolve("folk"))) {
            if (!f.toString().endsWith(".au")) {
                TestLibrary.writeGenres(pm, f, List.of("Folk"), Id3Version.V2_4);
            }
        }
        return lib;
    }

    private static RetagReport retag(Path lib, Consumer<RetagRequest.Builder> options) {
        RetagRequest.Builder b = RetagRequest.builder(lib).minConfidence(0.0).journal(lib.resolveSibling(lib.getFileName() + ".jsonl"));
        options.accept(b);
        RetagReport report = tagger.retag(b.build(), null);
        assertEquals(report.results().size(), report.results().stream().map(TrackResult::file).distinct().count(), "one result per track");
        return report;
    }

    private static Map<Path, byte[]> bytes(Path lib) throws Exception {
        Map<Path, byte[]> m = new HashMap<>();
        for (Path f : TestLibrary.listFiles(lib)) {
            m.put(f, Files.readAllBytes(f));
        }
        return m;
    }

    /** How a format holds several genres: each its own value, or one joined string. */
    private static List<String> stored(Path file, List<String> genres, String separator, boolean id3v23) {
        String n = file.getFileName().toString();
        boolean joined = n.endsWith(".m4a") || id3v23 && (n.endsWith(".mp3") || n.endsWith(".wav") || n.endsWith(".aiff"));
        return joined && genres.size() > 1 ? List.of(String.join(separator, genres)) : genres;
    }

    @Test
    void fillEmptyReplaceAndMergeInEveryFormat(@TempDir Path dir) throws Exception {
        // fill-empty, the default: a track with a genre is left alone and says so.
        Path lib = library(dir, "fill");
        Map<Path, byte[]> before = bytes(lib);
        RetagReport fill = retag(lib, b -> {});
        assertEquals(22, fill.results().size());
        for (TrackResult r : fill.results()) {
            boolean au = r.file().toString().endsWith(".au");
            if (r.file().startsWith(lib.resolve("folk")) && !au) {
                assertEquals(Outcome.SKIPPED, r.outcome(), r.toString());
                assertTrue(r.message().contains("already has a genre"), r.message());
                assertArrayEquals(before.get(r.file()), Files.readAllBytes(r.file()), "fill-empty wrote " + r.file());
            } else if (!au) {
                assertEquals(Outcome.TAGGED, r.outcome(), r.toString());
                assertEquals(List.of(r.top().get(0).genre()), TestLibrary.readGenres(r.file()), r.file().toString());
            } else {
                assertEquals(Outcome.UNSUPPORTED, r.outcome());
            }
        }

        // replace: ours instead of theirs.
        lib = library(dir, "replace");
        for (TrackResult r : retag(lib, b -> b.policy(TagPolicy.REPLACE)).results()) {
            if (!r.file().toString().endsWith(".au")) {
                assertEquals(Outcome.TAGGED, r.outcome(), r.toString());
                assertEquals(List.of(r.top().get(0).genre()), r.genreAfter());
                assertEquals(r.genreAfter(), TestLibrary.readGenres(r.file()), r.file().toString());
            }
        }

        // merge: ours beside theirs, as several values where the format has them (ID3v2.4 TCON,
        // Vorbis/Opus GENRE comments, WMA WM/Genre), joined in MP4 ©gen.
        lib = library(dir, "merge");
        for (TrackResult r : retag(lib, b -> b.policy(TagPolicy.MERGE)).results()) {
            if (r.file().toString().endsWith(".au")) {
                continue;
            }
            assertEquals(Outcome.TAGGED, r.outcome(), r.toString());
            String top = r.top().get(0).genre();
            List<String> expected = r.file().startsWith(lib.resolve("folk")) ? List.of("Folk", top) : List.of(top);
            assertEquals(expected, r.genreAfter());
            assertEquals(stored(r.file(), expected, "; ", false), TestLibrary.readGenres(r.file()), r.file().toString());
        }

        // merge in ID3v2.3: one TCON string, joined with the separator asked for.
        lib = library(dir, "merge23");
        for (TrackResult r : retag(lib, b -> b.policy(TagPolicy.MERGE).id3Version(Id3Version.V2_3).separator(" / ")).results()) {
            if (r.file().startsWith(lib.resolve("folk")) && !r.file().toString().endsWith(".au")) {
                List<String> expected = List.of("Folk", r.top().get(0).genre());
                assertEquals(stored(r.file(), expected, " / ", true), TestLibrary.readGenres(r.file()), r.file().toString());
                if (r.file().toString().endsWith(".mp3")) {
                    assertEquals(3, TestLibrary.id3Version(r.file()));
                }
            }
        }
    }

    @Test
    void belowTheThresholdNothingIsWritten(@TempDir Path dir) throws Exception {
        Path lib = library(dir, "strict");
        Map<Path, byte[]> before = bytes(lib);
        RetagReport strict = retag(lib, b -> b.policy(TagPolicy.REPLACE).minConfidence(1.0));
        assertEquals(1.0, strict.minConfidence());
        int low = 0;
        for (TrackResult r : strict.results()) {
            assertArrayEquals(before.get(r.file()), Files.readAllBytes(r.file()), "nothing written below the threshold: " + r.file());
            if (r.file().toString().endsWith(".au")) {
                continue;
            }
            assertTrue(r.top().get(0).probability() < 1.0, "a probability of 1 would be above any threshold");
            assertEquals(Outcome.LOW_CONFIDENCE, r.outcome(), r.toString());
            // The shipped model hears the fixtures' tones over noise as not music, or as a genre below 1.
            boolean notMusic = r.top().get(0).label().equals(classifier.modelInfo().notMusicLabel());
            assertTrue(r.message().contains(notMusic ? "not music" : "below the confidence threshold 1.00"), r.message());
            assertEquals(r.genreBefore(), r.genreAfter());
            low++;
        }
        assertEquals(20, low);

        // The model's own threshold when none is given: written at or above it, not below.
        ModelInfo info = classifier.modelInfo();
        lib = library(dir, "default");
        RetagReport byDefault = tagger.retag(RetagRequest.builder(lib).policy(TagPolicy.REPLACE).journal(dir.resolve("d.jsonl")).build(), null);
        assertEquals(info.defaultMinConfidence(), byDefault.minConfidence());
        for (TrackResult r : byDefault.results()) {
            if (!r.file().toString().endsWith(".au")) {
                boolean sure = !r.top().get(0).label().equals(info.notMusicLabel()) && r.top().get(0).probability() >= info.defaultMinConfidence();
                assertEquals(sure ? Outcome.TAGGED : Outcome.LOW_CONFIDENCE, r.outcome(), r.toString());
            }
        }
    }

    /**
     * Several genres. First with the shipped model's ranking: what is written is what the policy
     * promises for each result (the top genre, and runners-up holding at least half its
     * probability, at most three), each format its own way. Then, so that several genres are
     * written whatever the shipped model hears, with a learned model whose head gives its two
     * genres equal probability on every track.
     */
    @Test
    void maxGenresWritesSeveralGenresEachFormatItsOwnWay(@TempDir Path dir) throws Exception {
        Path lib = library(dir, "ranked");
        int several = 0;
        for (TrackResult r : retag(lib, b -> b.policy(TagPolicy.REPLACE).maxGenres(3)).results()) {
            if (r.file().toString().endsWith(".au")) {
                continue;
            }
            double p1 = r.top().get(0).probability();
            List<String> expected = r.top().stream().filter(g -> g.probability() >= 0.5 * p1).map(GenreScore::genre).limit(3).toList();
            assertEquals(expected, r.genreAfter(), r.toString());
            assertEquals(stored(r.file(), expected, "; ", false), TestLibrary.readGenres(r.file()), r.file().toString());
            several += expected.size() > 1 ? 1 : 0;
        }
        System.out.printf("PolicyTest: %d tracks got several genres from the shipped model's ranking%n", several);

        Path model = evenModel(dir.resolve("even-model"), List.of("Alpha", "Beta"));
        Path even = dir.toRealPath().resolve("even");
        TestLibrary.copyFormats(even);
        for (TrackResult r : retag(even, b -> b.policy(TagPolicy.REPLACE).maxGenres(3).model(model)).results()) {
            if (r.file().toString().endsWith(".au")) {
                assertEquals(Outcome.UNSUPPORTED, r.outcome());
                continue;
            }
            assertEquals(Outcome.TAGGED, r.outcome(), r.toString());
            assertEquals(List.of("Alpha", "Beta"), r.top().stream().map(GenreScore::genre).sorted().toList(), r.toString());
            assertEquals(0.5, r.top().get(0).probability(), 1e-6);
            assertEquals(0.5, r.top().get(1).probability(), 1e-6);
            assertEquals(r.top().stream().map(GenreScore::genre).toList(), r.genreAfter(), "both genres written, in ranking order");
            assertEquals(stored(r.file(), r.genreAfter(), "; ", false), TestLibrary.readGenres(r.file()), r.file().toString());
        }
    }

    /**
     * A model folder as {@code learn} writes one, on the shipped model (the plugin bundles
     * {@code ../models}), whose head has all-zero weights: each genre gets the same probability
     * whatever the track.
     */
    private static Path evenModel(Path dir, List<String> genres) throws Exception {
        Path models = Path.of("../models");
        JsonObject shipped = JsonParser.parseString(Files.readString(models.resolve("config.json"))).getAsJsonObject();
        int embedding = switch (shipped.get("network").getAsString()) {
            case "musicnn" -> 200;
            case "vgg" -> 256;
            case "efficientat" -> 384 + 527; // embedding and AudioSet logits
            default -> throw new AssertionError("no embedding size known for network " + shipped.get("network"));
        };
        JsonObject base = new JsonObject();
        base.addProperty("name", shipped.get("name").getAsString());
        base.addProperty("version", shipped.get("version").getAsString());
        base.addProperty("weightsSha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(models.resolve(shipped.get("weights").getAsString())))));
        JsonObject head = new JsonObject();
        head.add("weights", new Gson().toJsonTree(new float[genres.size()][embedding]));
        head.add("bias", new Gson().toJsonTree(new float[genres.size()]));
        JsonObject m = new JsonObject();
        m.addProperty("kind", "genre-tagger learned model");
        m.addProperty("format", 1);
        m.add("labels", new Gson().toJsonTree(genres.stream().map(g -> g.toLowerCase(java.util.Locale.ROOT)).toList()));
        m.add("genres", new Gson().toJsonTree(genres));
        m.add("base", base);
        m.add("head", head);
        m.addProperty("temperature", 1.0);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), m.toString());
        return dir;
    }

    @Test
    void modificationTimeOnRequestPermissionsAndOwnerAlways(@TempDir Path dir) throws Exception {
        FileTime old = FileTime.from(Instant.parse("2001-09-09T01:46:40Z"));
        boolean root = "root".equals(System.getProperty("user.name"));
        for (boolean keep : new boolean[] {true, false}) {
            Path lib = dir.toRealPath().resolve(keep ? "keep" : "touch");
            List<Path> files = TestLibrary.copyFormats(lib).stream().filter(f -> !f.toString().endsWith(".au")).toList();
            for (Path f : files) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
                Files.setLastModifiedTime(f, old);
                if (root) {
                    Files.setAttribute(f, "unix:uid", 4321);
                    Files.setAttribute(f, "unix:gid", 4322);
                }
            }
            Instant start = Instant.now().minusSeconds(2);
            for (TrackResult r : retag(lib, b -> b.policy(TagPolicy.REPLACE).keepMtime(keep)).results()) {
                if (r.file().toString().endsWith(".au")) {
                    continue;
                }
                assertEquals(Outcome.TAGGED, r.outcome(), r.toString());
                Path f = r.file();
                assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "permissions of " + f);
                if (root) {
                    assertEquals(4321, Files.getAttribute(f, "unix:uid"), "owner of " + f);
                    assertEquals(4322, Files.getAttribute(f, "unix:gid"), "group of " + f);
                }
                if (keep) {
                    assertEquals(old, Files.getLastModifiedTime(f), "--keep-mtime kept the time of " + f);
                } else {
                    assertTrue(Files.getLastModifiedTime(f).toInstant().isAfter(start), "a write without --keep-mtime is dated now: " + f);
                }
            }
        }
    }

    @Test
    void includeAndExcludeGlobs(@TempDir Path dir) throws Exception {
        Path lib = dir.toRealPath().resolve("globs");
        TestLibrary.copyFormats(lib.resolve("a"));
        TestLibrary.copyFormats(lib.resolve("b").resolve("deep"));
        RetagReport r = retag(lib, b -> b.dryRun(true).includes(List.of("*.flac", "*.mp3", "b/**/*.wma")).excludes(List.of("b/**/*.mp3")));
        List<String> found = r.results().stream().map(t -> lib.relativize(t.file()).toString()).sorted().toList();
        assertEquals(List.of("a/tone.flac", "a/tone.mp3", "b/deep/tone.flac", "b/deep/tone.wma"), found);
        for (TrackResult t : r.results()) {
            assertEquals(Outcome.WOULD_TAG, t.outcome());
        }
        assertEquals(null, r.journal(), "a dry run keeps no journal");
    }

    @Test
    void symbolicLinksAreSkippedOrFollowedInsideTheRootOnly(@TempDir Path dir) throws Exception {
        Path base = dir.toRealPath();
        Path outside = Files.createDirectories(base.resolve("outside"));
        Path outsideTrack = Files.copy(TestLibrary.fixtures().resolve("tone.mp3"), outside.resolve("tone.mp3"));
        byte[] outsideBytes = Files.readAllBytes(outsideTrack);
        Path lib = base.resolve("links");
        Path real = Files.createDirectories(lib.resolve("real"));
        Path track = Files.copy(TestLibrary.fixtures().resolve("tone.flac"), real.resolve("tone.flac"));
        Files.createSymbolicLink(lib.resolve("loop"), lib);
        Files.createSymbolicLink(lib.resolve("out"), outside);
        Files.createSymbolicLink(lib.resolve("alias.flac"), track);
        Files.createSymbolicLink(lib.resolve("outfile.mp3"), outsideTrack);

        RetagReport skipped = retag(lib, b -> b.policy(TagPolicy.REPLACE));
        assertEquals(List.of(track), skipped.results().stream().map(TrackResult::file).toList(), "links are not followed by default");
        assertTrue(skipped.notices().stream().anyMatch(n -> n.startsWith("4 symbolic link(s) not followed")), skipped.notices().toString());

        TestLibrary.writeGenres(pm, track, List.of("Folk"), Id3Version.V2_4);
        RetagReport followed = retag(lib, b -> b.policy(TagPolicy.REPLACE).followSymlinks(true));
        assertEquals(1, followed.results().size(), "one file reachable by two paths (real, alias) is one track: "
                + followed.results());
        TrackResult r = followed.results().get(0);
        assertEquals(track, r.file(), "the path without links is the one reported");
        assertEquals(Outcome.TAGGED, r.outcome(), r.toString());
        assertEquals(r.genreAfter(), TestLibrary.readGenres(track));
        assertTrue(Files.isSymbolicLink(lib.resolve("alias.flac")), "the link is still a link");
        assertArrayEquals(outsideBytes, Files.readAllBytes(outsideTrack), "nothing outside the root is touched");
        String notices = String.join("\n", followed.notices());
        assertTrue(notices.contains("loop: link loops back"), notices);
        assertTrue(notices.contains("out: link leads outside"), notices);
        assertTrue(notices.contains("outfile.mp3: link leads outside"), notices);
        assertFalse(notices.contains("not followed (use"), notices);
    }

    @Test
    void leftoverTemporaryFilesAreListedByADryRunAndRemovedByARealOne(@TempDir Path dir) throws Exception {
        Path lib = dir.toRealPath().resolve("leftovers");
        TestLibrary.copyFormats(lib);
        Path sub = Files.createDirectories(lib.resolve("sub"));
        List<Path> ours = List.of(Files.write(lib.resolve(".gtmp.tone.flac"), new byte[100]),
                Files.write(sub.resolve("_gtmp_tone_ogg8123456789.tmp"), new byte[10]),
                Files.write(lib.resolve("gt-opus-4242424242.tmp"), new byte[10]));
        List<Path> theirs = List.of(Files.write(lib.resolve("notes.tmp"), new byte[1]),
                Files.write(lib.resolve(".hidden.flac.bak"), new byte[1]), Files.write(sub.resolve("gtmp.txt"), new byte[1]));

        RetagReport dry = retag(lib, b -> b.dryRun(true));
        assertTrue(dry.notices().stream().anyMatch(n -> n.startsWith("found 3 leftover temporary files")), dry.notices().toString());
        for (Path p : ours) {
            assertTrue(Files.exists(p), "a dry run removes nothing: " + p);
        }
        RetagReport real = retag(lib, b -> {});
        assertTrue(real.notices().stream().anyMatch(n -> n.startsWith("removed 3 leftover temporary files")), real.notices().toString());
        for (Path p : ours) {
            assertFalse(Files.exists(p), "removed: " + p);
        }
        for (Path p : theirs) {
            assertTrue(Files.exists(p), "a file of the user's is kept: " + p);
        }
        assertEquals(11, real.results().size(), "temporary files are not tracks");
    }
}
