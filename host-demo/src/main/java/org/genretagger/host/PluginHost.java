package org.genretagger.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.GenreLearner;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.host.PluginFolder;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/**
 * Loads plugins from a folder with PF4J, the way a library manager would ({@link PluginFolder}),
 * and finds the extensions the commands use.
 */
public final class PluginHost implements AutoCloseable {
    /**
     * Told of each plugin manager once its plugins are started; null normally. A seam for tests
     * that run host-demo in a child JVM and must reach the plugin's classes there (KillNineTest
     * stops a run at an exact step of a write, to kill it at that point rather than after a
     * guessed delay); the plugin's class loader is only reachable through its manager.
     */
    static volatile java.util.function.Consumer<PluginManager> onStart;

    private final PluginFolder plugins;

    PluginHost(Path pluginsDir) {
        if (!Files.isDirectory(pluginsDir)) {
            throw new IllegalArgumentException("plugins folder " + pluginsDir + " does not exist (build with mvn package, or give --plugins-dir)");
        }
        this.plugins = new PluginFolder(pluginsDir);
        java.util.function.Consumer<PluginManager> hook = onStart;
        if (hook != null) {
            hook.accept(plugins.manager());
        }
    }

    /**
     * The folder beside the running jar ({@code host-demo/target/plugins}), or beside the jar's
     * folder (the unpacked tarball's {@code lib/host-demo.jar} and {@code plugins/}).
     */
    public static Path defaultDir() {
        try {
            Path jar = Path.of(HostCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path beside = jar.getParent().resolve("plugins");
            Path above = jar.getParent().getParent() != null ? jar.getParent().getParent().resolve("plugins") : beside;
            return Files.isDirectory(beside) || !Files.isDirectory(above) ? beside : above;
        } catch (Exception e) {
            return Path.of("plugins");
        }
    }

    List<PluginWrapper> plugins() {
        return plugins.plugins();
    }

    List<String> extensionClasses(String pluginId) {
        return plugins.extensionClasses(pluginId);
    }

    public GenreClassifier classifier() {
        return first(GenreClassifier.class);
    }

    public GenreLearner learner() {
        return first(GenreLearner.class);
    }

    public LibraryTagger tagger() {
        return first(LibraryTagger.class);
    }

    private <T> T first(Class<T> type) {
        return plugins.extension(type).orElseThrow(
                () -> new IllegalStateException("no plugin in " + plugins.dir() + " provides a " + type.getSimpleName()));
    }

    @Override
    public void close() {
        plugins.close();
    }
}
