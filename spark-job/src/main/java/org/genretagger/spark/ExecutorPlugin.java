package org.genretagger.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.ModelInfo;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;

/**
 * The genre plugin as loaded in one executor JVM: once per JVM, through PF4J, so MXNet, FFmpeg and
 * Jaudiotagger live in the plugin's own class loader, away from Spark's classpath. Every task of
 * the executor shares it (the classifier is thread-safe and batches windows across its callers).
 */
final class ExecutorPlugin {
    private static GenreClassifier classifier;
    private static ModelInfo model;

    private ExecutorPlugin() {}

    /**
     * @param zip the plugin zip as this executor sees it
     * @param modelDir a model folder to run instead of the plugin's bundled model; null for the bundled one
     * @param ompThreads MXNet OpenMP threads: the cores one task may use
     * @return the classifier, loaded on the first call in this JVM
     */
    static synchronized GenreClassifier classifier(Path zip, String modelDir, int ompThreads) {
        if (classifier == null) {
            // Read by the plugin when its engine starts (before MXNet loads).
            System.setProperty("genretagger.ompThreads", Integer.toString(ompThreads));
            if (modelDir != null) {
                System.setProperty("genretagger.model", Path.of(modelDir).toAbsolutePath().toString());
            }
            try {
                // PF4J unpacks the zip beside itself: a private folder, removed when the JVM ends.
                Path dir = Files.createTempDirectory("genre-spark-plugins-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                Files.copy(zip, dir.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                PluginManager pm = new DefaultPluginManager(dir);
                pm.loadPlugins();
                pm.startPlugins();
                List<GenreClassifier> found = pm.getExtensions(GenreClassifier.class);
                if (found.isEmpty()) {
                    throw new IllegalStateException("the plugin zip " + zip + " provides no GenreClassifier");
                }
                GenreClassifier c = found.get(0);
                // Loads the model now: a model that cannot load fails the task, not every track.
                model = c.modelInfo();
                classifier = c;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the plugin " + zip, e);
            }
        }
        return classifier;
    }

    /** @return the loaded model's description; only after {@link #classifier} */
    static synchronized ModelInfo model() {
        return model;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort at exit
        }
    }
}
