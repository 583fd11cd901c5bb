package org.genretagger.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real Spark standalone cluster on this machine ({@link StandaloneCluster}): a master
 * and two one-core workers, each its own JVM, the job submitted with {@code spark-submit} as a
 * user would, the plugin zip sent with {@code --files} and a model learned here with
 * {@code host-demo learn} sent with {@code --archives}: nothing reaches an executor by a path the
 * driver sees. One worker is killed (SIGKILL, with its executor) as soon as the driver reports the
 * first partition written, and later a driver is killed the same way and its run resumed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = java.util.concurrent.TimeUnit.MINUTES) // only a guard against a hang: no step waits for a set time
class StandaloneClusterIT {
    /** The job's line as a partition's rows are committed. */
    private static final Pattern WRITTEN = Pattern.compile("genre-spark: partition (\\d+) written, \\d+ rows \\((\\d+) of (\\d+) partitions; executor (\\S+)\\)");
    /**
     * Many small partitions of 30 s tracks: after the first commit the job has seconds of work left,
     * far more than the test needs to see the commit and kill the worker (with 8 partitions of 6 s
     * tracks a fast base finished them all first).
     */
    private static final int PARTITIONS = 16;

    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static List<String> good = new ArrayList<>();
    static List<String> bad = new ArrayList<>();
    static Path listing;
    static Path modelZip;
    static Path learned;
    /** host-demo classify --json --model (the learned model) on the good tracks, by file. */
    static Map<String, JsonObject> hostDemo;
    static Process hostDemoRun;

    @BeforeAll
    static void clusterAndModel() throws Exception {
        // A model learned here, in a child JVM, while the cluster starts.
        Path library = dir.resolve("library");
        TaggedTracks.library(library, 2, 3, 6);
        learned = dir.resolve("learned");
        Process learn = HostDemo.start(dir.resolve("learn.txt"), List.of("learn", library.toString(), "--out", learned.toString(),
                "--min-tracks", "6", "--windows", "2"));

        List<String> flags = Arrays.stream(System.getProperty("spark.opens", "").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).map(s -> "--add-opens=" + s + "=ALL-UNNAMED").toList();
        cluster = new StandaloneCluster(Path.of(System.getProperty("spark.lib.dir", "target/lib")), dir,
                Path.of(System.getProperty("cluster.logs", "target/standalone-cluster-it")), flags);
        cluster.startMaster();
        List<StandaloneCluster.Worker> workers = List.of(cluster.startWorker("1g"), cluster.startWorker("1g"));

        // The catalogue: untagged tracks of the learned styles, the compressed fixtures, and three that cannot be read.
        Path music = Files.createDirectories(dir.resolve("music"));
        for (TaggedTracks.Style s : TaggedTracks.Style.values()) {
            for (int k = 0; k < 3; k++) {
                good.add(TaggedTracks.write(music.resolve(s.name().toLowerCase() + "-" + k + ".wav"), s, 50_000 + 10L * s.ordinal() + k, 30,
                        null, null, null).toString());
            }
        }
        Path fixtures = Path.of(System.getProperty("fixtures.dir", "../genre-plugin/src/test/resources/audio"));
        for (String f : List.of("tone.mp3", "tone.flac", "tone.ogg", "tone.m4a")) {
            good.add(Files.copy(fixtures.resolve(f), music.resolve(f)).toString());
        }
        byte[] junk = new byte[8192];
        new Random(7).nextBytes(junk);
        bad.add(Files.write(music.resolve("broken.mp3"), junk).toString());
        bad.add(Files.writeString(music.resolve("notes.flac"), "not audio at all\n").toString());
        bad.add(music.resolve("gone.ogg").toString());
        List<String> lines = new ArrayList<>(good);
        lines.addAll(bad);
        listing = Files.write(dir.resolve("catalogue.txt"), lines);

        HostDemo.await(learn, "host-demo learn");
        // Shipped as an archive: config.json at its top level (a learned model is that one file).
        modelZip = dir.resolve("learned.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(modelZip))) {
            z.putNextEntry(new ZipEntry("config.json"));
            Files.copy(learned.resolve("config.json"), z);
            z.closeEntry();
        }
        List<String> args = new ArrayList<>(List.of("classify", "--json", "--model", learned.toString()));
        args.addAll(good);
        hostDemoRun = HostDemo.start(dir.resolve("host-demo.jsonl"), args);
        for (StandaloneCluster.Worker w : workers) {
            StandaloneCluster.awaitRegistered(w);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (hostDemoRun != null) {
            hostDemoRun.destroyForcibly();
        }
    }

    @Test
    @Order(1)
    void aWorkerKilledMidRunStillGivesEveryTrackOnceWithTheDesktopToolsVerdict() throws Exception {
        Path out = dir.resolve("out-cluster");
        // Every partition but the first waits at its start until the gate is opened: when the first
        // is written, no other one is, however the machine's load spreads the work.
        Path gate = dir.resolve("gate-1");
        StandaloneCluster.Child driver = submit("driver-1", out, gate);
        Matcher first = driver.await(WRITTEN);
        // The executor that just committed a partition is now at the start of its next one: its
        // worker dies mid-run, and no commit is cut in half.
        StandaloneCluster.Worker victim = cluster.workerOf(first.group(4));
        StandaloneCluster.kill(victim);
        long writtenAtKill = driver.lines.stream().filter(l -> WRITTEN.matcher(l).find()).count();
        Files.createFile(gate);
        int rc = driver.waitFor();

        assertEquals(GenreSparkJob.SOME_FAILED, rc, driver.output());
        assertEquals("0", first.group(1), "the first partition written is the one not held");
        assertEquals(1, writtenAtKill, "the worker died with only the first partition written");
        assertTrue(driver.output().contains("Lost executor " + first.group(4)) || driver.output().contains("executor " + first.group(4) + " lost"),
                "the driver lost the killed worker's executor:\n" + driver.output());
        Set<String> executors = new HashSet<>();
        driver.lines.forEach(l -> {
            Matcher m = WRITTEN.matcher(l);
            if (m.find()) {
                executors.add(m.group(4));
            }
        });
        assertEquals(2, executors.size(), "partitions were written by both executors, before and after the kill: " + executors);

        Map<String, JsonObject> rows = rows(out, true);
        Set<String> expected = new HashSet<>(good);
        expected.addAll(bad);
        assertEquals(expected, rows.keySet());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        for (String b : bad) {
            JsonObject r = rows.get(b);
            assertTrue(r.has("error") && r.get("error").getAsString().contains(Path.of(b).getFileName().toString()), r.toString());
            assertFalse(r.has("genres"), r.toString());
        }

        HostDemo.await(hostDemoRun, "host-demo classify --model");
        Map<String, JsonObject> host = jsonLines(dir.resolve("host-demo.jsonl"), false);
        for (String g : good) {
            JsonObject job = rows.get(g);
            JsonObject h = host.get(g);
            assertNotNull(h, g);
            assertFalse(job.has("error"), job.toString());
            assertEquals("learned:learned", job.get("model").getAsString(), "the learned model, from --archives");
            JsonArray jg = job.getAsJsonArray("genres");
            JsonArray hg = h.getAsJsonArray("genres");
            assertEquals(hg.size(), jg.size(), g);
            for (int i = 0; i < hg.size(); i++) {
                JsonObject a = hg.get(i).getAsJsonObject();
                JsonObject b = jg.get(i).getAsJsonObject();
                assertEquals(a.get("label").getAsString(), b.get("label").getAsString(), g + " rank " + i);
                assertEquals(a.get("genre").getAsString(), b.get("genre").getAsString(), g + " rank " + i);
                assertEquals(a.get("probability").getAsDouble(), b.get("probability").getAsDouble(), 1e-5, g);
            }
            assertEquals(h.get("windows").getAsInt(), job.get("windows").getAsInt(), g);
            assertEquals(h.get("seconds").getAsDouble(), job.get("seconds").getAsDouble(), 1e-6, g);
        }
        // The learned styles come out as learned (the fixtures' tones may go anywhere).
        for (TaggedTracks.Style s : TaggedTracks.Style.values()) {
            String f = dir.resolve("music").resolve(s.name().toLowerCase() + "-0.wav").toString();
            assertEquals(s.genre, rows.get(f).get("genre").getAsString(), f);
        }

        // Each executor fetched its own copies: the zip, and the model unpacked from the archive.
        for (Path work : List.of(dir.resolve("work-0"), dir.resolve("work-1"))) {
            try (Stream<Path> s = Files.walk(work)) {
                List<Path> got = s.filter(p -> p.getFileName().toString().equals(HostDemo.pluginZip().getFileName().toString())
                        || p.endsWith(Path.of("learned", "config.json"))).toList();
                assertEquals(2, got.size(), work + ": " + got);
            }
        }
    }

    @Test
    @Order(2)
    void aDeadDriverKeepsTheWrittenPartitionsAndResumeAddsTheRest() throws Exception {
        Path out = dir.resolve("out-resumed");
        // The other partitions wait for a gate never opened: the driver dies with only the first written.
        StandaloneCluster.Child driver = submit("driver-2", out, dir.resolve("gate-never"));
        Matcher first = driver.await(WRITTEN);
        driver.kill();
        Map<String, JsonObject> kept = rows(out, false);
        assertEquals("0", first.group(1), "the partition written before the driver died is the one not held");
        assertFalse(kept.isEmpty(), "the partitions committed before the driver died are in OUT");
        assertTrue(kept.size() < good.size() + bad.size(), "not all: " + kept.size());
        assertFalse(Files.exists(out.resolve("_SUCCESS")), "an unfinished run is not marked finished");

        StandaloneCluster.Child resumed = submit("driver-3", out, null, "--resume");
        assertEquals(GenreSparkJob.SOME_FAILED, resumed.waitFor(), resumed.output());
        assertTrue(resumed.output().contains("resuming an unfinished run: " + out + " held rows for " + kept.size() + " tracks"),
                resumed.output());
        assertTrue(resumed.output().contains((good.size() + bad.size() - kept.size()) + " tracks classified"), resumed.output());
        Map<String, JsonObject> rows = rows(out, true);
        Set<String> expected = new HashSet<>(good);
        expected.addAll(bad);
        assertEquals(expected, rows.keySet(), "each track once");
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        for (Map.Entry<String, JsonObject> e : kept.entrySet()) {
            assertEquals(e.getValue(), rows.get(e.getKey()), "kept as written");
        }
        assertNull(rows.get(good.get(0)).get("error"));
    }

    // ---- helpers ----

    /**
     * @param hold a file that every partition but the first waits for at its start (see
     *     GenreSparkJob.HOLD_CONF), or null
     */
    private static StandaloneCluster.Child submit(String name, Path out, Path hold, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("--name", "genre-tagger " + name,
                "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2",
                "--conf", "spark.task.maxFailures=4",
                // Short-lived JVMs on two shared cores: no optimising compiler at start-up (test only).
                "--conf", "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
        if (hold != null) {
            args.addAll(List.of("--conf", GenreSparkJob.HOLD_CONF + "=" + hold));
        }
        args.addAll(List.of(
                "--class", GenreSparkJob.class.getName(),
                "--files", HostDemo.pluginZip().toString(),
                "--archives", modelZip + "#learned",
                Path.of(System.getProperty("job.jar", "target/genre-spark.jar")).toString(),
                "--input", listing.toString(), "--output", out.toString(), "--format", "jsonl", "--model", "learned",
                "--partitions", Integer.toString(PARTITIONS)));
        args.addAll(List.of(more));
        return cluster.submit(name, args);
    }

    /** The rows in OUT's part files, by file; with {@code unique}, a file in two rows fails. */
    private static Map<String, JsonObject> rows(Path out, boolean unique) throws IOException {
        Map<String, JsonObject> rows = new HashMap<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path part : s.filter(p -> p.getFileName().toString().startsWith("part-") && p.toString().endsWith(".json")).toList()) {
                jsonLines(part, unique).forEach((k, v) -> assertNull(rows.put(k, v), "one row per track: " + k));
            }
        }
        return rows;
    }

    private static Map<String, JsonObject> jsonLines(Path file, boolean unique) throws IOException {
        Map<String, JsonObject> m = new HashMap<>();
        for (String l : Files.readAllLines(file)) {
            if (!l.isBlank()) {
                JsonObject o = JsonParser.parseString(l).getAsJsonObject();
                JsonObject before = m.put(o.get("file").getAsString(), o);
                assertTrue(before == null || !unique, "one row per track: " + o.get("file"));
            }
        }
        return m;
    }
}
