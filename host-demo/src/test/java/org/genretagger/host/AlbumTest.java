package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.genretagger.api.Grouping;
import org.genretagger.api.Id3Version;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TrackResult;
import org.genretagger.api.WindowPrediction;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginManager;

/**
 * {@code --by album} on the same tone in every format, tagged as one album: one verdict, the
 * mean of all its tracks' windows, written to every track the policy lets through.
 */
class AlbumTest {
    private static final java.util.logging.Logger JAUDIOTAGGER = java.util.logging.Logger.getLogger("org.jaudiotagger");
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

    /** Every format; all but Opus and AU (which Jaudiotagger cannot tag) tagged artist "Tone Band", album "Tones". */
    static Path album(Path dir) throws Exception {
        Path lib = dir.toRealPath().resolve("lib");
        JAUDIOTAGGER.setLevel(java.util.logging.Level.OFF); // it logs routine WAV writes as SEVERE; a failed commit throws anyway
        for (Path f : TestLibrary.copyFormats(lib)) {
            String n = f.getFileName().toString();
            if (!n.endsWith(".opus") && !n.endsWith(".au")) {
                AudioFile af = AudioFileIO.read(f.toFile());
                Tag tag = af.getTagOrCreateAndSetDefault();
                tag.setField(FieldKey.ARTIST, "Tone Band");
                tag.setField(FieldKey.ALBUM, "Tones");
                af.commit();
            }
        }
        return lib;
    }

    private static Map<String, TrackResult> byName(RetagReport r) {
        Map<String, TrackResult> m = new HashMap<>();
        r.results().forEach(t -> m.put(t.file().getFileName().toString(), t));
        return m;
    }

    @Test
    void oneGenrePerAlbumAcrossFormatsFromTheMeanOfAllItsWindows(@TempDir Path dir) throws Exception {
        Path lib = album(dir);
        // Fill-empty must leave this one alone even though its album mates get a genre.
        TestLibrary.writeGenres(pm, lib.resolve("tone.flac"), List.of("Folk"), Id3Version.V2_4);
        Map<String, TrackResult> album = byName(tagger.retag(RetagRequest.builder(lib).minConfidence(0.0)
                .journal(dir.resolve("j.jsonl")).grouping(Grouping.ALBUM).build(), null));

        List<String> members = List.of("tone.mp3", "tone.ogg", "tone.m4a", "tone-alac.m4a", "tone.wav", "tone.aiff", "tone.wma",
                "tone-22k-mono.wav");
        for (String m : members) {
            assertEquals("Tone Band - Tones", album.get(m).album(), m + ": " + album.get(m));
        }
        double[] albumMean = mean(members.stream().flatMap(m -> album.get(m).timeline().stream()).toList());
        TrackResult first = album.get(members.get(0));
        for (String m : members) {
            TrackResult t = album.get(m);
            assertEquals(Outcome.TAGGED, t.outcome(), t.toString());
            assertEquals("Tone Band - Tones", t.album(), m);
            assertEquals(first.top(), t.top(), "one verdict for the album: " + m);
            // The album's verdict is the mean over every window of its classified tracks, not a vote of their winners.
            assertEquals(musicTop(albumMean), t.top().get(0).probability(), 1e-6, m);
            assertEquals(first.genreAfter(), t.genreAfter(), m);
            assertEquals(first.genreAfter(), TestLibrary.readGenres(lib.resolve(m)), "written: " + m);
            // Beside it, the track's own top genre: the winner of its own windows.
            double[] own = mean(t.timeline());
            assertEquals(own[argmax(own)], t.trackTop().probability(), 1e-6, m);
        }
        assertEquals(Outcome.SKIPPED, album.get("tone.flac").outcome());
        assertEquals(List.of("Folk"), TestLibrary.readGenres(lib.resolve("tone.flac")), "fill-empty kept the flac's genre");
        // No album tag and no artist: judged on its own.
        TrackResult opus = album.get("tone.opus");
        assertEquals("", opus.album());
        double[] own = mean(opus.timeline());
        assertEquals(musicTop(own), opus.top().get(0).probability(), 1e-6);
        assertEquals(opus.top().get(0), opus.trackTop());
    }

    private static double[] mean(List<WindowPrediction> windows) {
        double[] sum = new double[windows.get(0).probabilities().size()];
        for (WindowPrediction w : windows) {
            for (int k = 0; k < sum.length; k++) {
                sum[k] += w.probabilities().get(k) / windows.size();
            }
        }
        return sum;
    }

    /**
     * The top genre's probability as a run at min-confidence 0 writes it: the shipped model's
     * not-music class set aside, the genres sharing its probability.
     */
    private static double musicTop(double[] mean) {
        int notMusic = pm.getExtensions(org.genretagger.api.GenreClassifier.class).get(0).modelInfo().labels().indexOf("notmusic");
        double sum = 0;
        double best = 0;
        for (int k = 0; k < mean.length; k++) {
            if (k != notMusic) {
                sum += mean[k];
                best = Math.max(best, mean[k]);
            }
        }
        return best / sum;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            best = v[k] > v[best] ? k : best;
        }
        return best;
    }

    @Test
    void byAlbumFromTheConfigFileAndBadValuesRefused(@TempDir Path dir) throws Exception {
        Path lib = album(dir);
        Path cfg = dir.resolve("config.properties");
        Files.writeString(cfg, "by=album\nmin-confidence=0\n");
        Path json = dir.resolve("r.json");
        TestLibrary.CliRun run = TestLibrary.runCli("retag", lib.toString(), "--dry-run", "--config", cfg.toString(), "--report",
                json.toString(), "--include", "*.mp3,*.ogg");
        assertEquals(HostCli.OK, run.exit(), run.out());
        JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(2, report.getAsJsonArray("tracks").size());
        for (JsonElement e : report.getAsJsonArray("tracks")) {
            JsonObject t = e.getAsJsonObject();
            assertEquals("Tone Band - Tones", t.get("album").getAsString(), t.toString());
            assertNotNull(t.get("trackGenre").getAsString());
        }
        TestLibrary.CliRun bad = TestLibrary.runCli("retag", lib.toString(), "--dry-run", "--by", "disc");
        assertEquals(HostCli.USAGE, bad.exit(), bad.out());
    }
}
