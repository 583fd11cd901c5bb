package org.genretagger.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.genretagger.api.Analysis;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Tags a whole catalogue on Spark: reads a listing of tracks, classifies them on the executors with
 * the genre plugin and writes one row per track. Reads the tracks only; never writes into them.
 * Exit codes: 0 all fine, 1 some tracks failed, 2 usage error.
 */
@Command(name = "genre-spark", mixinStandardHelpOptions = true, version = "genre-tagger spark-job 0.1.0",
        description = "Classify every track of a catalogue listing on Apache Spark; one row per track in OUT.")
public final class GenreSparkJob implements Callable<Integer> {
    static final int OK = 0;
    static final int SOME_FAILED = 1;
    static final int USAGE = 2;
    /** For tests: fail the first attempt of this partition midway, as a killed executor would. */
    static final String FAIL_PARTITION_PROPERTY = "genretagger.spark.failFirstAttemptOf";
    /**
     * For tests (a Spark setting, so that spark-submit's --conf reaches a client-mode driver): a
     * file path; every partition but the first waits at its start until the file exists. Lets a
     * test kill a worker or the driver once the first partition is written, knowing that no
     * other one is, instead of hoping the kill comes before the next commit.
     */
    static final String HOLD_CONF = "spark.genretagger.test.holdPartitionsUntil";

    @Spec
    CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2]; under spark-submit its --master is used")
    String master;

    @Option(names = "--input", required = true, paramLabel = "LIST",
            description = "the catalogue: a text file of paths or URIs one a line, or a .parquet/.csv table with a 'path' column")
    String input;

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "where the rows go (a folder of part files)")
    String output;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|jsonl",
            description = "parquet (default), or jsonl: JSON lines with host-demo classify --json's fields")
    String format;

    @Option(names = "--analysis", paramLabel = "full|sample:N", converter = AnalysisText.class,
            description = "windows classified per track (default: the model's)")
    Analysis analysis;

    /** {@code --analysis}, parsed once here at the driver: executors get its window count. */
    static final class AnalysisText implements CommandLine.ITypeConverter<Analysis> {
        @Override
        public Analysis convert(String text) {
            return Analysis.parse(text);
        }
    }

    @Option(names = "--model", paramLabel = "DIR",
            description = "a model made by host-demo learn, or a model folder (config.json + weights) to run instead of the plugin's "
                    + "bundled model: a path every executor can read, or the name of an archive given to spark-submit --archives")
    String model;

    @Option(names = "--plugin", paramLabel = "ZIP",
            description = "the genre plugin zip, local or on HDFS/S3, sent to every executor; or the name of one given to spark-submit "
                    + "--files (default: a genre-plugin zip among --files, else plugins/ beside genre-spark.jar)")
    String plugin;

    @Option(names = "--resume", description = "add to an existing OUT (also one a dead run left), skipping tracks it already has a row for")
    boolean resume;

    @Option(names = "--partitions", paramLabel = "N", description = "tasks to split the catalogue into (default: 4 per core, at most 1000 tracks each)")
    Integer partitions;

    @Option(names = "--track-timeout", defaultValue = "660", paramLabel = "SECONDS",
            description = "a track still not classified after this long gets an error row (default ${DEFAULT-VALUE})")
    long trackTimeout;

    /** A session to run in instead of building one (tests share one); left running. */
    SparkSession session;

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(execute(new GenreSparkJob(), new PrintWriter(System.out, true), args));
    }

    /**
     * @param job the job, possibly given a session to run in
     * @param out where the summary goes
     * @param args the command line
     * @return the exit code
     */
    static int execute(GenreSparkJob job, PrintWriter out, String... args) {
        return execute(job, out, null, args);
    }

    /**
     * @param job the job, possibly given a session to run in
     * @param out where the summary goes
     * @param err where errors and progress lines go; null for standard error
     * @param args the command line
     * @return the exit code
     */
    static int execute(GenreSparkJob job, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(job).setOut(out);
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + e.getMessage());
                return USAGE;
            }
            throw e;
        });
        CommandLine.IParameterExceptionHandler standard = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, given) -> {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                // A value a converter refuses: say what the option takes, as for any other wrong value.
                e.getCommandLine().getErr().println("error: " + refused.getMessage());
                return USAGE;
            }
            return standard.handleParseException(e, given);
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        String fmt = switch (format.toLowerCase(Locale.ROOT)) {
            case "parquet" -> "parquet";
            case "jsonl", "json" -> "json";
            default -> throw new IllegalArgumentException("--format must be parquet or jsonl, not '" + format + "'");
        };
        SparkSession spark = session != null ? session : newSession();
        try {
            return run(spark, fmt);
        } finally {
            if (session == null) {
                spark.stop();
            }
        }
    }

    private SparkSession newSession() {
        SparkSession.Builder b = SparkSession.builder().appName("genre-tagger catalogue");
        // Spark's own logging kept to warnings, also under spark-submit (where the cluster's log4j2
        // configuration comes first), unless the user set a level.
        SparkConf given = new SparkConf();
        if (!given.contains("spark.log.level")) {
            b.config("spark.log.level", "WARN");
        }
        // A task's input is a few paths from a shuffle, and the tracks are read by path wherever it
        // runs: waiting for a "local" executor (3 s per locality level by default) only idles cores.
        if (!given.contains("spark.locality.wait")) {
            b.config("spark.locality.wait", "0");
        }
        if (master != null) {
            b.master(master);
            if (master.startsWith("local")) {
                b.config("spark.ui.enabled", "false");
            }
        }
        return b.getOrCreate();
    }

    private int run(SparkSession spark, String fmt) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        SparkContext sc = spark.sparkContext();
        Configuration hadoop = sc.hadoopConfiguration();
        org.apache.hadoop.fs.Path outPath = new org.apache.hadoop.fs.Path(output);
        FileSystem outFs = outPath.getFileSystem(hadoop);
        boolean outExists = outFs.exists(outPath);
        if (outExists && !resume) {
            throw new IllegalArgumentException(output + " already exists: give --resume to add the tracks it lacks, or another --output");
        }

        // What spark-submit shipped (--files, --archives): executors find those among their SparkFiles.
        List<String> files = shippedNames(sc.getConf().get("spark.files", ""));
        List<String> archives = shippedNames(sc.getConf().get("spark.archives", ""));
        String zip = pluginFile(files);
        boolean modelShipped = model != null && archives.contains(model);
        if (model != null && (sc.isLocal() || modelShipped)) {
            Path seen = modelShipped ? Path.of(SparkFiles.get(model)) : Path.of(model);
            if (!Files.isRegularFile(seen.resolve("config.json"))) {
                throw new IllegalArgumentException("--model " + model + " holds no config.json"
                        + (modelShipped ? " at its top level (the archive unpacked into " + seen + ")" : ""));
            }
        }

        Dataset<Row> listing = listing(spark).dropDuplicates("file");
        long skipped = 0;
        if (resume && outExists) {
            Resumed before = resumed(spark, outFs, outPath, fmt);
            if (before.rows() != null) {
                long listed = listing.count();
                listing = listing.join(before.rows(), listing.col("file").equalTo(before.rows().col("file")), "left_anti");
                skipped = listed - listing.count();
            }
            if (!before.finished()) {
                out.printf(Locale.ROOT, "resuming an unfinished run: %s held rows for %d tracks of this listing%n", output, skipped);
            }
            // Marks a finished run: gone until this one's rows are all committed.
            outFs.delete(new org.apache.hadoop.fs.Path(outPath, "_SUCCESS"), false);
        }
        // Counting the listing is a pass over it: only when the number of tasks depends on it.
        int tasks = partitions != null ? partitions
                : (int) Math.max(1, Math.max(4L * sc.defaultParallelism(), (listing.count() + 999) / 1000));

        String zipName = new org.apache.hadoop.fs.Path(zip).getName();
        if (!files.contains(zipName)) {
            sc.addFile(zip);
        }
        int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
        HashMap<String, String> hadoopConf = new HashMap<>();
        hadoop.forEach(e -> hadoopConf.put(e.getKey(), e.getValue()));
        GenreCounts counts = new GenreCounts();
        sc.register(counts, "genres");
        CatalogueClassifier classify = new CatalogueClassifier(zipName, model, modelShipped, analysis != null ? analysis.sampleWindows() : null,
                taskCpus, trackTimeout, hadoopConf, counts, Integer.getInteger(FAIL_PARTITION_PROPERTY, -1))
                .holdUntil(sc.getConf().get(HOLD_CONF, null));

        String group = "genre-spark-" + java.util.UUID.randomUUID();
        Progress progress = new Progress(group, tasks, spec.commandLine().getErr());
        sc.addSparkListener(progress);
        sc.setJobGroup(group, "genre-spark: classify and write " + output, false);
        try {
            listing.repartition(tasks)
                    .mapPartitions(classify, Encoders.row(CatalogueClassifier.SCHEMA))
                    .write().mode(resume ? SaveMode.Append : SaveMode.ErrorIfExists).format(fmt)
                    // Each task's file moves into OUT when the task commits (not all at the job's end), so
                    // a run whose driver dies keeps every partition finished before; --resume adds the rest.
                    // A partition's file name is fixed for the run, so a second commit of it replaces the first.
                    .option("mapreduce.fileoutputcommitter.algorithm.version", "2")
                    .save(output);
        } finally {
            sc.clearJobGroup();
            sc.removeSparkListener(progress);
        }

        return summary(counts, start, skipped, tasks, fmt);
    }

    /** Prints the run's figures and per-genre counts; returns the exit code. */
    private int summary(GenreCounts counts, long start, long skipped, int tasks, String fmt) {
        PrintWriter out = spec.commandLine().getOut();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> byGenre = new HashMap<>(counts.value());
        long failed = byGenre.getOrDefault(GenreCounts.FAILED, 0L);
        byGenre.remove(GenreCounts.FAILED);
        long tracks = byGenre.values().stream().mapToLong(Long::longValue).sum() + failed;
        out.printf(Locale.ROOT, "%d tracks classified in %.1f s: %.2f tracks/s (%d tasks)%n", tracks, seconds, tracks / seconds, tasks);
        if (skipped > 0) {
            out.printf(Locale.ROOT, "%d tracks skipped: already in %s%n", skipped, output);
        }
        byGenre.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.printf(Locale.ROOT, "  %-12s %8d%n", e.getKey(), e.getValue()));
        out.printf(Locale.ROOT, "  %-12s %8d%n", "failed", failed);
        out.printf("rows in %s (%s)%n", output, fmt.equals("json") ? "jsonl" : fmt);
        out.flush();
        return failed == 0 ? OK : SOME_FAILED;
    }

    /** Rows an earlier run left in OUT ({@code file} only; null when there are none) and whether it finished. */
    private record Resumed(Dataset<Row> rows, boolean finished) {}

    private static Resumed resumed(SparkSession spark, FileSystem fs, org.apache.hadoop.fs.Path out, String fmt) throws IOException {
        String ext = fmt.equals("json") ? ".json" : ".parquet";
        String other = fmt.equals("json") ? ".parquet" : ".json";
        boolean any = false;
        for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(out)) {
            String name = f.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                continue; // _SUCCESS, _temporary (a dead run's unfinished tasks), checksums
            }
            if (name.contains(other) && !name.contains(ext)) {
                throw new IllegalArgumentException(out + " holds " + other.substring(1) + " rows (" + name + "): resume with --format "
                        + (fmt.equals("json") ? "parquet" : "jsonl"));
            }
            any |= name.contains(ext);
        }
        boolean finished = fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS"));
        return new Resumed(any ? spark.read().schema(CatalogueClassifier.SCHEMA).format(fmt).load(out.toString()).select("file") : null,
                finished);
    }

    /** The plugin zip: --plugin, or one shipped with --files, or the one beside the jar. */
    private String pluginFile(List<String> files) throws IOException {
        if (plugin != null) {
            return plugin;
        }
        for (String f : files) {
            if (f.matches("genre-plugin-.*\\.zip")) {
                return f;
            }
        }
        return defaultPlugin().toString();
    }

    /**
     * @param conf {@code spark.files} or {@code spark.archives}: URIs, comma-separated, an archive's
     *     with {@code #NAME} for the folder it unpacks into
     * @return the names each is found under with {@link SparkFiles#get}
     */
    static List<String> shippedNames(String conf) {
        List<String> names = new ArrayList<>();
        for (String u : conf.split(",")) {
            String t = u.trim();
            if (t.isEmpty()) {
                continue;
            }
            int hash = t.lastIndexOf('#');
            names.add(hash >= 0 ? t.substring(hash + 1) : new org.apache.hadoop.fs.Path(t).getName());
        }
        return names;
    }

    /**
     * Prints a line on standard error as each partition's rows are committed to OUT, which is
     * what a run keeps if its driver dies now. Counts only the tasks of this run's write.
     */
    static final class Progress extends SparkListener {
        private final String group;
        private final int tasks;
        private final PrintWriter err;
        private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
        private final Set<Integer> written = ConcurrentHashMap.newKeySet();

        Progress(String group, int tasks, PrintWriter err) {
            this.group = group;
            this.tasks = tasks;
            this.err = err;
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
            if (submitted.properties() != null && group.equals(submitted.properties().getProperty("spark.jobGroup.id"))) {
                stages.add(submitted.stageInfo().stageId());
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (!stages.contains(end.stageId()) || !"ResultTask".equals(end.taskType()) || !(end.reason() instanceof Success$)) {
                return;
            }
            int partition = end.taskInfo().partitionId();
            if (written.add(partition)) {
                long rows = end.taskMetrics() != null ? end.taskMetrics().outputMetrics().recordsWritten() : -1;
                synchronized (err) {
                    err.printf(Locale.ROOT, "genre-spark: partition %d written, %d rows (%d of %d partitions; executor %s)%n",
                            partition, rows, written.size(), tasks, end.taskInfo().executorId());
                    err.flush();
                }
            }
        }
    }

    /** The listing as one column {@code file}, the path exactly as listed. */
    private Dataset<Row> listing(SparkSession spark) {
        String lower = input.toLowerCase(Locale.ROOT);
        Dataset<Row> table;
        if (lower.endsWith(".parquet") || lower.endsWith(".csv")) {
            table = lower.endsWith(".csv") ? spark.read().option("header", "true").csv(input) : spark.read().parquet(input);
            if (!Arrays.asList(table.columns()).contains("path")) {
                throw new IllegalArgumentException(input + " has no 'path' column (its columns: " + String.join(", ", table.columns()) + ")");
            }
            table = table.select(functions.col("path").cast("string").as("file"));
        } else {
            table = spark.read().text(input).select(functions.trim(functions.col("value")).as("file"));
        }
        return table.filter(functions.col("file").isNotNull().and(functions.col("file").notEqual(""))
                .and(functions.not(functions.col("file").startsWith("#"))));
    }

    /** {@code plugins/genre-plugin-*.zip} beside the running jar (or beside target/classes). */
    static Path defaultPlugin() throws IOException {
        Path dir;
        try {
            dir = Path.of(GenreSparkJob.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().resolve("plugins");
        } catch (Exception e) {
            dir = Path.of("plugins");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> zips = s.filter(p -> p.getFileName().toString().matches("genre-plugin-.*\\.zip"))
                        .sorted(Comparator.reverseOrder()).toList();
                if (!zips.isEmpty()) {
                    return zips.get(0);
                }
            }
        }
        throw new IllegalArgumentException("no genre-plugin zip in " + dir + " (build with mvn package, or give --plugin)");
    }
}
