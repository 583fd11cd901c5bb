package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.genretagger.api.GenreScore;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagReport;
import org.genretagger.api.TrackResult;
import org.genretagger.api.WindowPrediction;
import org.genretagger.host.report.HtmlReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --report FILE.html} page in a real browser (headless Chromium, Debian's
 * {@code chromium}, which {@code .ci/run} installs): opened with {@code #selftest}, the page's own
 * script counts the table's rows, sorts by confidence, filters, and writes what it found (and any
 * JavaScript error) into the DOM, which {@code --dump-dom} hands back.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES) // only a guard against a hung Chromium
class HtmlReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern SELFTEST = Pattern.compile("<pre id=\"selftest\">([^<]*)</pre>");
    private static final Pattern DATA = Pattern.compile("<script type=\"application/json\" id=\"data\">(.*?)</script>", Pattern.DOTALL);

    private static void requireChromium() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "skipped: " + CHROMIUM + " is missing; install Debian's chromium (apt-get install -y chromium, as .ci/run does)");
    }

    /** Runs headless Chromium with a fresh profile and returns what it printed. */
    private static String chromium(Path dir, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            // However long a busy machine makes it take; a Chromium that hangs is stopped by the class's hang guard.
            p.waitFor();
        } finally {
            p.destroyForcibly();
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Opens the page with #selftest and returns what its script found. */
    private static JsonObject selftest(Path dir, Path page) throws Exception {
        String dom = chromium(dir, "--dump-dom", page.toUri() + "#selftest");
        Matcher m = SELFTEST.matcher(dom);
        assertTrue(m.find(), "no self-test result in the page: " + dom.substring(0, Math.min(500, dom.length())));
        String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        assertFalse(json.isEmpty(), "the page's script did not run");
        return JsonParser.parseString(json).getAsJsonObject();
    }

    private static JsonObject data(Path page) throws IOException {
        Matcher m = DATA.matcher(Files.readString(page));
        assertTrue(m.find());
        return JsonParser.parseString(m.group(1)).getAsJsonObject();
    }

    private static void assertWorks(JsonObject result, int tracks) {
        assertEquals(List.of(), result.getAsJsonArray("errors").asList().stream().map(JsonElement::getAsString).toList(),
                "JavaScript errors");
        assertEquals(tracks, result.get("tracks").getAsInt());
        assertEquals(tracks, result.get("rows").getAsInt(), "one table row per track");
        assertTrue(result.get("descending").getAsBoolean(), "sorting by confidence gives the highest first: " + result);
        assertEquals(tracks, result.get("filteredOut").getAsInt(), "a filter matching nothing hides every row");
    }

    @Test
    void reportOfARunLoadsSortsAndFiltersInChromium(@TempDir Path dir) throws Exception {
        requireChromium();
        Path lib = AlbumTest.album(dir); // every format, most of them tagged as one album
        List<Path> files = TestLibrary.listFiles(lib);
        Path page = dir.resolve("report.html");
        TestLibrary.CliRun run = TestLibrary.runCli("retag", lib.toString(), "--dry-run", "--by", "album", "--min-confidence", "0",
                "--report", page.toString());
        assertEquals(HostCli.OK, run.exit(), run.out());
        String html = Files.readString(page);
        // Self-contained: nothing is fetched, no external script, style sheet, font or image.
        assertFalse(Pattern.compile("src=|href=|@import|url\\(|@font-face", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "the page refers to something outside itself");

        JsonObject result = selftest(dir, page);
        assertWorks(result, files.size());
        assertEquals(files.size(), result.get("sortedValues").getAsInt(), "every track was classified and shows its confidence");
        // The first row after sorting is the most confident track of the run.
        JsonArray tracks = data(page).getAsJsonArray("tracks");
        double best = -1;
        int albums = 0;
        for (JsonElement t : tracks) {
            best = Math.max(best, t.getAsJsonArray().get(4).getAsJsonArray().get(0).getAsJsonArray().get(1).getAsDouble());
        }
        for (JsonElement t : tracks) {
            JsonArray row = t.getAsJsonArray();
            if (row.get(0).getAsString().equals(result.get("firstPath").getAsString())) {
                assertEquals(best, row.get(4).getAsJsonArray().get(0).getAsJsonArray().get(1).getAsDouble(), 1e-9);
            }
            assertFalse(row.get(8).getAsString().isEmpty(), "each track has its window timeline: " + row);
            albums += row.get(5).getAsString().equals("Tone Band - Tones") ? 1 : 0;
        }
        assertEquals(files.size() - 2, albums, "all but the untagged Opus and AU are in the album");

        // A picture for people to look at.
        Path png = Path.of("target", "report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        chromium(dir, "--screenshot=" + png, "--window-size=1400,1000", page.toUri().toString());
        assertTrue(Files.size(png) > 10_000, "screenshot " + png);
    }

    /** 10 000 made-up tracks: the page still holds one row each and sorts; prints the times Chromium took. */
    @Test
    void tenThousandTracksLoadAndSort(@TempDir Path dir) throws Exception {
        requireChromium();
        List<String> labels = List.of("blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock");
        List<String> names = List.of("Blues", "Classical", "Country", "Disco", "Hip-Hop", "Jazz", "Metal", "Pop", "Reggae", "Rock");
        ModelInfo model = new ModelInfo("test", "1", labels, names, 22050, 3.0, 1.5, 0.42, "");
        Random random = new Random(11);
        List<TrackResult> results = new ArrayList<>();
        Outcome[] outcomes = {Outcome.TAGGED, Outcome.SKIPPED, Outcome.LOW_CONFIDENCE, Outcome.FAILED};
        for (int i = 0; i < 10_000; i++) {
            Path file = Path.of("/music/artist " + i % 700 + "/album " + i % 900 + "/" + i + " <track> & \"title\".mp3");
            Outcome o = outcomes[random.nextInt(outcomes.length)];
            if (o == Outcome.FAILED) {
                results.add(TrackResult.of(file, o, file.getFileName() + ": cannot decode"));
                continue;
            }
            List<WindowPrediction> windows = new ArrayList<>();
            double[] mean = new double[10];
            for (int w = 0; w < 8; w++) {
                double[] p = new double[10];
                double s = 0;
                for (int k = 0; k < 10; k++) {
                    p[k] = Math.pow(random.nextDouble(), 4);
                    s += p[k];
                }
                List<Double> probs = new ArrayList<>();
                for (int k = 0; k < 10; k++) {
                    probs.add(p[k] / s);
                    mean[k] += p[k] / s / 8;
                }
                windows.add(new WindowPrediction(w * 30.0, probs));
            }
            List<GenreScore> top = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                top.add(new GenreScore(names.get(k), labels.get(k), mean[k]));
            }
            top.sort((a, b) -> Double.compare(b.probability(), a.probability()));
            List<String> before = o == Outcome.SKIPPED ? List.of("Rock") : List.of();
            List<String> after = o == Outcome.TAGGED ? List.of(top.get(0).genre()) : before;
            results.add(new TrackResult(file, o, before, after, top.subList(0, 3), "", i % 3 == 0 ? "" : "Artist - Album " + i % 900,
                    top.get(0), windows));
        }
        RetagReport report = new RetagReport(results, null, Duration.ofSeconds(3600), 0.42, Map.of());
        Path page = dir.resolve("big.html");
        HtmlReport.write(report, model, page);
        JsonObject result = selftest(dir, page);
        assertWorks(result, 10_000);
        System.out.printf("HTML report, 10 000 tracks, %.1f MB: loaded in %d ms, sorted by confidence in %d ms (headless Chromium)%n",
                Files.size(page) / 1e6, result.get("loadMillis").getAsInt(), result.get("sortMillis").getAsInt());
    }
}
