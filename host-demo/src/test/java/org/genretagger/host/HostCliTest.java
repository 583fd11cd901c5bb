package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host-demo's commands as a user runs them, in-process, loading the built plugin zip. */
class HostCliTest {


    private static TestLibrary.CliRun run(String... args) {
        return TestLibrary.runCli(args);
    }

    @Test
    void cliCommandsClassifyListRetagAndRejectBadUsage(@TempDir Path dir) throws Exception {
        Path flac = TestLibrary.fixtures().resolve("tone.flac");
        Path folder = Files.createDirectories(dir.resolve("x.mp3"));
        TestLibrary.CliRun json = run("classify", "--json", flac.toString(), folder.toString());
        String[] lines = json.out().strip().split("\n");
        assertEquals(2, lines.length, json.out());
        JsonObject ok = JsonParser.parseString(lines[0]).getAsJsonObject();
        assertEquals(flac.toString(), ok.get("file").getAsString());
        JsonArray genres = ok.getAsJsonArray("genres");
        double sum = 0;
        double last = 1;
        for (var g : genres) {
            double p = g.getAsJsonObject().get("probability").getAsDouble();
            assertTrue(p <= last + 1e-12, "sorted by probability");
            last = p;
            sum += p;
            assertTrue(g.getAsJsonObject().has("genre") && g.getAsJsonObject().has("label"));
        }
        assertEquals(1.0, sum, 1e-4);
        assertTrue(ok.get("windows").getAsInt() >= 1);
        assertEquals(3.0, ok.get("seconds").getAsDouble(), 0.05);
        JsonObject err = JsonParser.parseString(lines[1]).getAsJsonObject();
        assertTrue(err.get("error").getAsString().contains("x.mp3"), err.toString());
        assertEquals(HostCli.SOME_FAILED, json.exit());

        TestLibrary.CliRun plugins = run("plugins");
        assertEquals(HostCli.OK, plugins.exit());
        assertTrue(plugins.out().contains("genre-plugin 0.1.0"), plugins.out());
        assertTrue(plugins.out().contains("GenreClassifierExtension") && plugins.out().contains("LibraryTaggerExtension"), plugins.out());

        Path lib = dir.resolve("lib");
        List<Path> files = TestLibrary.copyFormats(lib);
        List<byte[]> before = new ArrayList<>();
        for (Path f : files) {
            before.add(Files.readAllBytes(f));
        }
        Path csv = dir.resolve("report.csv");
        TestLibrary.CliRun dry = run("retag", lib.toString(), "--dry-run", "--min-confidence", "0", "--report", csv.toString());
        assertEquals(HostCli.OK, dry.exit(), dry.out());
        for (int i = 0; i < files.size(); i++) {
            assertTrue(java.util.Arrays.equals(before.get(i), Files.readAllBytes(files.get(i))), "dry run wrote " + files.get(i));
        }
        List<String> rows = Files.readAllLines(csv);
        assertEquals("path,outcome,genre_before,genre_after,top1,p1,top2,p2,top3,p3,message,album,track_genre", rows.get(0));
        assertEquals(files.size() + 1, rows.size());
        assertEquals(files.size() - 1, rows.stream().filter(r -> r.contains(",would_tag,")).count(), String.join("\n", rows));
        assertTrue(dry.out().contains("dry run: nothing written"), dry.out());

        assertEquals(HostCli.USAGE, run("retag", lib.toString(), "--policy", "sometimes").exit());
        assertEquals(HostCli.USAGE, run("retag").exit());
        assertEquals(HostCli.OK, run("retag", "--help").exit());
    }
}
