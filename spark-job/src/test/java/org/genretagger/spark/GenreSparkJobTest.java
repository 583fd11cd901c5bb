package org.genretagger.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the job in {@code local[2]} (one session for the class: Spark starts slowly) over a
 * catalogue the test writes: synthetic tracks in several formats, two broken files and a path that
 * does not exist.
 */
class GenreSparkJobTest {
    /** The shipped model's name, from its config. */
    private static final String SHIPPED_MODEL = shippedModel();

    private static String shippedModel() {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("../models/config.json")));
            if (!m.find()) {
                throw new IllegalStateException("models/config.json has no name");
            }
            return m.group(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @TempDir
    static Path dir;

    static SparkSession spark;
    /** Good tracks, as listed. */
    static final List<String> GOOD = new ArrayList<>();
    /** Broken or missing tracks, as listed. */
    static final List<String> BAD = new ArrayList<>();
    static Path listing;
    static final AtomicInteger failedTasks = new AtomicInteger();
    /** Marker jobs' groups, each with the latch its job's end counts down (see {@link #listenerCaughtUp}). */
    static final Map<String, CountDownLatch> markers = new ConcurrentHashMap<>();
    /** The group of each job started, by job id, until it ends. */
    static final Map<Integer, String> jobGroups = new ConcurrentHashMap<>();

    /** A Hadoop file system with its own scheme over local files: stands in for HDFS or S3 here. */
    public static final class RemoteFs extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("remote:///");
        }

        @Override
        public String getScheme() {
            return "remote";
        }
    }

    @BeforeAll
    static void catalogue() throws Exception {
        Path music = Files.createDirectories(dir.resolve("music"));
        // Made here: three different synthetic signals in the formats the JDK writes.
        GOOD.add(write(music.resolve("chords.wav"), chords(44100, 2, 12), AudioFileFormat.Type.WAVE).toString());
        GOOD.add(write(music.resolve("drums.aiff"), drums(22050, 1, 9), AudioFileFormat.Type.AIFF).toString());
        Path noise = write(music.resolve("noise sweep.au"), sweep(16000, 1, 7), AudioFileFormat.Type.AU);
        // Listed as a file: URI (read in place) ...
        GOOD.add(noise.toUri().toString());
        // ... and compressed formats from the plugin's synthetic fixtures.
        Path fixtures = Path.of(System.getProperty("fixtures.dir", "../genre-plugin/src/test/resources/audio"));
        for (String f : List.of("tone.mp3", "tone.flac", "tone.ogg", "tone.m4a")) {
            GOOD.add(Files.copy(fixtures.resolve(f), music.resolve(f)).toString());
        }
        // A remote path: copied to local scratch through Hadoop's FileSystem, then classified.
        GOOD.add("remote://" + music.resolve("chords.wav"));

        byte[] junk = new byte[8192];
        new Random(7).nextBytes(junk);
        BAD.add(Files.write(music.resolve("broken.mp3"), junk).toString());
        BAD.add(Files.writeString(music.resolve("notes.flac"), "not audio at all\n").toString());
        BAD.add(music.resolve("gone.ogg").toString());

        List<String> lines = new ArrayList<>(List.of("# catalogue", ""));
        lines.addAll(GOOD);
        lines.addAll(BAD);
        lines.add(GOOD.get(0)); // listed twice, still one track
        listing = Files.write(dir.resolve("catalogue.txt"), lines);

        // local[2] with a second attempt per task, so a failed task is retried as on a cluster.
        spark = SparkSession.builder().master("local[2,2]").appName("GenreSparkJobTest")
                .config("spark.ui.enabled", "false")
                .config("spark.hadoop.fs.remote.impl", RemoteFs.class.getName())
                .config("spark.hadoop.fs.remote.impl.disable.cache", "true")
                .getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!(end.reason() instanceof Success$)) {
                    failedTasks.incrementAndGet();
                }
            }

            @Override
            public void onJobStart(SparkListenerJobStart start) {
                java.util.Properties p = start.properties();
                String group = p != null ? p.getProperty("spark.jobGroup.id") : null;
                if (group != null) {
                    jobGroups.put(start.jobId(), group);
                }
            }

            @Override
            public void onJobEnd(SparkListenerJobEnd end) {
                String group = jobGroups.remove(end.jobId());
                CountDownLatch marker = group != null ? markers.get(group) : null;
                if (marker != null) {
                    marker.countDown();
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void everyListedTrackGetsOneRowAndTheVerdictHostDemoGives() throws Exception {
        Set<String> scratchBefore = scratchDirs();
        Path out = dir.resolve("out-jsonl");
        StringWriter summary = new StringWriter();
        int rc = run(summary, "--input", listing.toString(), "--output", out.toString(), "--format", "jsonl");

        assertEquals(GenreSparkJob.SOME_FAILED, rc, summary.toString());
        Map<String, Row> rows = byFile(spark.read().json(jsonFiles(out)).collectAsList());
        Set<String> expected = new HashSet<>(GOOD);
        expected.addAll(BAD);
        assertEquals(expected, rows.keySet());
        assertEquals(expected.size(), spark.read().json(jsonFiles(out)).count(), "one row per track");

        for (String bad : BAD) {
            Row r = rows.get(bad);
            String error = r.getAs("error");
            assertNotNull(error, bad);
            assertTrue(error.contains(Path.of(bad).getFileName().toString()), "names the file: " + error);
            assertNull(r.getAs("genres"), bad);
        }

        Map<String, Row> hostDemo = hostDemoClassify(GOOD.stream().map(GenreSparkJobTest::localPath).distinct().toList());
        for (String good : GOOD) {
            Row job = rows.get(good);
            Row host = hostDemo.get(localPath(good));
            assertNull(job.getAs("error"), good);
            List<Row> jobGenres = job.getList(job.fieldIndex("genres"));
            List<Row> hostGenres = host.getList(host.fieldIndex("genres"));
            assertEquals(hostGenres.size(), jobGenres.size());
            for (int i = 0; i < hostGenres.size(); i++) {
                assertEquals(hostGenres.get(i).<String>getAs("label"), jobGenres.get(i).<String>getAs("label"), good + " rank " + i);
                assertEquals(hostGenres.get(i).<Double>getAs("probability"), jobGenres.get(i).<Double>getAs("probability"), 1e-5, good);
            }
            assertEquals(hostGenres.get(0).<String>getAs("genre"), job.getAs("genre"), good);
            assertEquals(host.<Long>getAs("windows"), job.<Long>getAs("windows"), good);
            assertEquals(host.<Double>getAs("seconds"), job.<Double>getAs("seconds"), 1e-6, good);
            assertEquals(SHIPPED_MODEL, job.getAs("model"));
        }
        assertEquals(scratchBefore, scratchDirs(), "remote tracks' scratch copies are deleted");
        assertTrue(summary.toString().contains(expected.size() + " tracks classified"), summary.toString());
        assertTrue(summary.toString().matches("(?s).*failed\\s+" + BAD.size() + "\\n.*"), summary.toString());
    }

    @Test
    void aTaskThatDiesMidwayIsRetriedAndEachTrackIsWrittenOnce() throws Exception {
        Path out = dir.resolve("out-retried");
        int before = failedTasks.get();
        System.setProperty(GenreSparkJob.FAIL_PARTITION_PROPERTY, "0");
        StringWriter summary = new StringWriter();
        try {
            run(summary, "--input", listing.toString(), "--output", out.toString(), "--partitions", "2");
        } finally {
            System.clearProperty(GenreSparkJob.FAIL_PARTITION_PROPERTY);
        }
        listenerCaughtUp();
        assertTrue(failedTasks.get() > before, "the first attempt of partition 0 failed");

        List<Row> files = spark.read().parquet(out.toString()).select("file").collectAsList();
        Set<String> distinct = new HashSet<>();
        files.forEach(r -> distinct.add(r.getString(0)));
        assertEquals(GOOD.size() + BAD.size(), files.size(), "no track written twice");
        assertEquals(GOOD.size() + BAD.size(), distinct.size(), "no track lost");
        assertTrue(summary.toString().contains((GOOD.size() + BAD.size()) + " tracks classified"), "counted once: " + summary);
    }

    @Test
    void resumeClassifiesOnlyTracksTheOutputLacks() throws Exception {
        Path out = dir.resolve("out-resumed");
        Path firstHalf = Files.write(dir.resolve("first.txt"), GOOD.subList(0, 3));
        run(new StringWriter(), "--input", firstHalf.toString(), "--output", out.toString());
        assertEquals(GenreSparkJob.USAGE, run(new StringWriter(), "--input", listing.toString(), "--output", out.toString()),
                "an existing OUT is not added to without --resume");

        // The grown catalogue, this time as a table with a path column.
        List<String> csv = new ArrayList<>(List.of("artist,path"));
        Stream.concat(GOOD.stream(), BAD.stream()).forEach(f -> csv.add("someone," + f));
        Path table = Files.write(dir.resolve("catalogue.csv"), csv);
        StringWriter summary = new StringWriter();
        run(summary, "--input", table.toString(), "--output", out.toString(), "--resume");
        List<Row> files = spark.read().parquet(out.toString()).select("file").collectAsList();
        assertEquals(GOOD.size() + BAD.size(), files.size());
        assertEquals(GOOD.size() + BAD.size(), new HashSet<>(files).size());
        assertTrue(summary.toString().contains((GOOD.size() + BAD.size() - 3) + " tracks classified"), summary.toString());
        assertTrue(summary.toString().contains("3 tracks skipped"), summary.toString());
    }

    @Test
    void resumeRefusesAnOutputInTheOtherFormat() throws Exception {
        Path out = dir.resolve("out-parquet");
        Path one = Files.write(dir.resolve("one.txt"), List.of(BAD.get(2)));
        run(new StringWriter(), "--input", one.toString(), "--output", out.toString());
        StringWriter err = new StringWriter();
        GenreSparkJob job = new GenreSparkJob();
        job.session = spark;
        assertEquals(GenreSparkJob.USAGE, GenreSparkJob.execute(job, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "--input", listing.toString(),
                "--output", out.toString(), "--format", "jsonl", "--resume", "--plugin", pluginZip().toString()));
        assertTrue(err.toString().contains("holds parquet rows") && err.toString().contains("--format parquet"), err.toString());
    }

    @Test
    void namesShippedWithFilesAndArchivesAreTheirFileNamesOrFragments() {
        assertEquals(List.of("genre-plugin-0.1.0.zip", "model", "m.zip"),
                GenreSparkJob.shippedNames("file:/a/genre-plugin-0.1.0.zip, hdfs:///x/learned.zip#model,s3a://b/m.zip"));
        assertEquals(List.of(), GenreSparkJob.shippedNames(""));
    }

    @Test
    void aModelFolderWithoutConfigIsAUsageError() throws Exception {
        StringWriter err = new StringWriter();
        Path empty = Files.createDirectories(dir.resolve("no-model"));
        assertEquals(GenreSparkJob.USAGE, run(err, "--input", listing.toString(), "--output", dir.resolve("out-none").toString(),
                "--model", empty.toString()));
        assertFalse(Files.exists(dir.resolve("out-none")), "nothing written");
    }

    // ---- helpers ----

    private static int run(StringWriter summary, String... args) {
        GenreSparkJob job = new GenreSparkJob();
        job.session = spark;
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--plugin", pluginZip().toString()));
        return GenreSparkJob.execute(job, new PrintWriter(summary, true), all.toArray(String[]::new));
    }

    private static Path pluginZip() {
        return HostDemo.pluginZip();
    }

    /** {@code host-demo classify --json} on the files, in a child JVM (one plugin load per JVM). */
    private static Map<String, Row> hostDemoClassify(List<String> files) throws Exception {
        Path json = HostDemo.classify(dir.resolve("host-demo.jsonl"), List.of(), files);
        return byFile(spark.read().json(json.toString()).collectAsList());
    }

    private static Map<String, Row> byFile(List<Row> rows) {
        Map<String, Row> m = new HashMap<>();
        rows.forEach(r -> assertNull(m.put(r.getAs("file"), r), "one row per file"));
        return m;
    }

    private static String localPath(String listed) {
        return listed.startsWith("/") ? listed : URI.create(listed).getPath();
    }

    private static String jsonFiles(Path out) {
        return out.resolve("*.json").toString();
    }

    private static Set<String> scratchDirs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return new HashSet<>(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("genre-spark-track-")).toList());
        }
    }

    /**
     * Returns once the listener has been told of every event Spark posted before this call (the
     * task ends of a job that has returned included). Spark tells a listener of events one after
     * another, in the order they were posted, on its own thread: so once the listener sees the end
     * of a job started here, it has seen everything before. (Polling a counter for a few seconds
     * instead could give up too early on a busy machine.)
     */
    private static void listenerCaughtUp() throws InterruptedException {
        String group = "test-marker-" + java.util.UUID.randomUUID();
        CountDownLatch seen = new CountDownLatch(1);
        markers.put(group, seen);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobGroup(group, "marker: the listener has caught up", false);
        try {
            assertEquals(1, jsc.parallelize(List.of(1), 1).count());
        } finally {
            jsc.clearJobGroup();
        }
        seen.await();
        markers.remove(group);
    }

    // ---- synthetic audio ----

    private static Path write(Path file, float[][] channels, AudioFileFormat.Type type) throws IOException {
        int rate = (int) channels[0][0];
        int n = channels[0].length - 1;
        ByteOrder order = type == AudioFileFormat.Type.WAVE ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer b = ByteBuffer.allocate(n * channels.length * 2).order(order);
        for (int i = 1; i <= n; i++) {
            for (float[] c : channels) {
                b.putShort((short) Math.round(Math.max(-1, Math.min(1, c[i])) * 32000));
            }
        }
        AudioFormat format = new AudioFormat(rate, 16, channels.length, true, order == ByteOrder.BIG_ENDIAN);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b.array()), format, n)) {
            AudioSystem.write(in, type, file.toFile());
        }
        return file;
    }

    /** Channels of {@code seconds} of audio; element 0 of each holds the sample rate. */
    private static float[][] signal(int rate, int channels, int seconds, java.util.function.IntToDoubleFunction sample) {
        float[][] c = new float[channels][rate * seconds + 1];
        for (int ch = 0; ch < channels; ch++) {
            c[ch][0] = rate;
            for (int i = 0; i < rate * seconds; i++) {
                c[ch][i + 1] = (float) sample.applyAsDouble(i) * (ch == 0 ? 1 : 0.8f);
            }
        }
        return c;
    }

    private static float[][] chords(int rate, int channels, int seconds) {
        double[][] chords = {{261.6, 329.6, 392.0}, {220.0, 261.6, 329.6}, {174.6, 220.0, 261.6}, {196.0, 246.9, 293.7}};
        return signal(rate, channels, seconds, i -> {
            double[] f = chords[(i / rate) % chords.length];
            double t = (double) i / rate;
            return 0.2 * (Math.sin(2 * Math.PI * f[0] * t) + Math.sin(2 * Math.PI * f[1] * t) + Math.sin(2 * Math.PI * f[2] * t));
        });
    }

    private static float[][] drums(int rate, int channels, int seconds) {
        Random r = new Random(1);
        int beat = rate / 2;
        return signal(rate, channels, seconds, i -> {
            double t = (double) (i % beat) / rate;
            double kick = Math.sin(2 * Math.PI * (60 + 100 * Math.exp(-t * 30)) * t) * Math.exp(-t * 8);
            double hat = (r.nextDouble() * 2 - 1) * Math.exp(-((i + beat / 2) % beat) / (rate * 0.02)) * 0.3;
            return 0.7 * kick + hat;
        });
    }

    private static float[][] sweep(int rate, int channels, int seconds) {
        Random r = new Random(2);
        return signal(rate, channels, seconds, i -> {
            double t = (double) i / rate;
            return 0.4 * Math.sin(2 * Math.PI * (200 + 600 * t) * t) + 0.1 * (r.nextDouble() * 2 - 1);
        });
    }
}
