package org.genretagger.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.GenreScore;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.TrackPrediction;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What runs on the executors: classifies the tracks of one partition with the executor's plugin
 * and turns each into one row. A track that cannot be read becomes a row with an error; the task
 * itself fails only if the plugin cannot be loaded at all.
 */
final class CatalogueClassifier implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** One genre and its probability; field names as in {@code host-demo classify --json}. */
    static final StructType GENRE = new StructType(new StructField[] {
        DataTypes.createStructField("genre", DataTypes.StringType, false),
        DataTypes.createStructField("label", DataTypes.StringType, false),
        DataTypes.createStructField("probability", DataTypes.DoubleType, false)});

    /**
     * One row per track. {@code file}, {@code genres}, {@code windows}, {@code seconds} and
     * {@code error} are {@code host-demo classify --json}'s fields; the rest say the top genre and
     * the model. Columns a row has no value for are null (left out of JSON lines).
     */
    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("file", DataTypes.StringType, false),
        DataTypes.createStructField("genre", DataTypes.StringType, true),
        DataTypes.createStructField("label", DataTypes.StringType, true),
        DataTypes.createStructField("probability", DataTypes.DoubleType, true),
        DataTypes.createStructField("genres", DataTypes.createArrayType(GENRE, false), true),
        DataTypes.createStructField("windows", DataTypes.IntegerType, true),
        DataTypes.createStructField("seconds", DataTypes.DoubleType, true),
        DataTypes.createStructField("model", DataTypes.StringType, true),
        DataTypes.createStructField("modelVersion", DataTypes.StringType, true),
        DataTypes.createStructField("error", DataTypes.StringType, true)});

    /** Runs each track so a stuck decode can be given up; daemon threads, one per running track. */
    private static final ExecutorService WATCHED = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "genre-spark-track");
        t.setDaemon(true);
        return t;
    });

    private final String pluginFile;
    private final String modelDir;
    private final boolean modelShipped;
    /** Windows per track of the analysis, 0 for full; null for the model's default. */
    private final Integer sampleWindows;
    private final int ompThreads;
    private final long timeoutSeconds;
    private final HashMap<String, String> hadoopConf;
    private final GenreCounts counts;
    private final int failFirstAttemptOf;
    /**
     * For tests: a file whose existence every partition but the first waits for at its start;
     * null for none. A test that kills a worker or the driver once the first partition is
     * written uses it to know that no other partition has been written by then, however the
     * machine's load spreads the work (see {@link GenreSparkJob#HOLD_CONF}).
     */
    private String holdUntil;

    /**
     * @param pluginFile the plugin zip's name among the files sent with {@code SparkContext.addFile}
     * @param modelDir a model folder every executor can read, or the name of one shipped with
     *     {@code --archives} (see modelShipped); null for the plugin's bundled model
     * @param modelShipped whether modelDir names an archive unpacked among each executor's
     *     {@link SparkFiles}, rather than a path
     * @param sampleWindows the analysis's windows per track ({@link Analysis#sampleWindows()}, 0 for full), or null
     *     for the model's default
     * @param ompThreads MXNet OpenMP threads per executor JVM
     * @param timeoutSeconds after this long a track is given up with an error
     * @param hadoopConf the driver's Hadoop settings, for remote paths
     * @param counts where per-genre counts go
     * @param failFirstAttemptOf for tests: the partition whose first attempt fails after one track; -1 for none
     */
    CatalogueClassifier(String pluginFile, String modelDir, boolean modelShipped, Integer sampleWindows, int ompThreads, long timeoutSeconds,
            HashMap<String, String> hadoopConf, GenreCounts counts, int failFirstAttemptOf) {
        this.pluginFile = pluginFile;
        this.modelDir = modelDir;
        this.modelShipped = modelShipped;
        this.sampleWindows = sampleWindows;
        this.ompThreads = ompThreads;
        this.timeoutSeconds = timeoutSeconds;
        this.hadoopConf = hadoopConf;
        this.counts = counts;
        this.failFirstAttemptOf = failFirstAttemptOf;
    }

    /**
     * @param gate for tests: every partition but the first waits at its start until this file
     *     exists; null for none
     * @return this
     */
    CatalogueClassifier holdUntil(String gate) {
        this.holdUntil = gate;
        return this;
    }

    /** Waits (as long as it takes) for the test's gate file, unless this is the first partition. */
    private void hold(TaskContext task) {
        if (holdUntil == null || task == null || task.partitionId() == 0) {
            return;
        }
        Path gate = Path.of(holdUntil);
        while (!java.nio.file.Files.exists(gate)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("test: interrupted while holding partition " + task.partitionId(), e);
            }
        }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> tracks) {
        if (!tracks.hasNext()) {
            return tracks; // an empty partition (e.g. all its tracks already in OUT): no plugin to load
        }
        // Shipped files and archives are resolved where this task runs, never at the driver's paths.
        Path modelPath = modelDir == null ? null : modelShipped ? Path.of(SparkFiles.get(modelDir)) : Path.of(modelDir);
        ExecutorPlugin.Loaded loaded = ExecutorPlugin.classifier(Path.of(SparkFiles.get(pluginFile)), modelPath, ompThreads);
        GenreClassifier classifier = loaded.classifier();
        ModelInfo model = loaded.model();
        Analysis a = sampleWindows != null ? new Analysis(sampleWindows) : null;
        TrackSource source = new TrackSource(hadoopConf);
        TaskContext task = TaskContext.get();
        hold(task);
        boolean failMidway = task != null && task.partitionId() == failFirstAttemptOf && task.attemptNumber() == 0;
        // Lazy: the writer pulls one row at a time, so a partition never sits in memory.
        return new Iterator<>() {
            private int done;

            @Override
            public boolean hasNext() {
                return tracks.hasNext();
            }

            @Override
            public Row next() {
                if (failMidway && done == 1) {
                    throw new IllegalStateException("test: the first attempt of partition " + failFirstAttemptOf + " fails midway");
                }
                done++;
                Row row = classify(tracks.next().getString(0), classifier, model, a, source);
                counts.add(row.isNullAt(SCHEMA.fieldIndex("error")) ? row.getString(1) : GenreCounts.FAILED);
                return row;
            }
        };
    }

    private Row classify(String listed, GenreClassifier classifier, ModelInfo model, Analysis a, TrackSource source) {
        Future<TrackPrediction> job = WATCHED.submit(() -> {
            try (TrackSource.Local local = source.open(listed)) {
                return classifier.classify(local.file(), a);
            }
        });
        try {
            return row(listed, job.get(timeoutSeconds, TimeUnit.SECONDS), model);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof ClassificationException ? cause.getMessage()
                    : listed + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.toString());
            return failed(listed, message, model);
        } catch (TimeoutException e) {
            job.cancel(true);
            return failed(listed, listed + ": given up after " + timeoutSeconds + " s (reading or decoding did not finish)", model);
        } catch (InterruptedException e) {
            job.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("task interrupted", e);
        }
    }

    private static Row row(String listed, TrackPrediction p, ModelInfo model) {
        List<Row> genres = new ArrayList<>(p.genres().size());
        for (GenreScore g : p.genres()) {
            genres.add(RowFactory.create(g.genre(), g.label(), g.probability()));
        }
        GenreScore top = p.top();
        return RowFactory.create(listed, top.genre(), top.label(), top.probability(), CollectionConverters.asScala(genres).toSeq(), p.windows(), p.seconds(),
                model.name(), model.version(), null);
    }

    private static Row failed(String listed, String message, ModelInfo model) {
        return RowFactory.create(listed, null, null, null, null, null, null, model.name(), model.version(), message);
    }
}
