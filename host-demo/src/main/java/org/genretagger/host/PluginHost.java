package org.genretagger.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.GenreLearner;
import org.genretagger.api.LibraryTagger;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/**
 * Loads plugins from a folder with PF4J, the way a library manager would: the plugin zip is
 * unpacked and loaded in its own class loader, and extensions are looked up by their API type.
 */
public final class PluginHost implements AutoCloseable {
    private final PluginManager manager;
    private final Path dir;

    PluginHost(Path pluginsDir) {
        if (!Files.isDirectory(pluginsDir)) {
            throw new IllegalArgumentException("plugins folder " + pluginsDir + " does not exist (build with mvn package, or give --plugins-dir)");
        }
        this.dir = pluginsDir;
        this.manager = new DefaultPluginManager(pluginsDir);
        manager.loadPlugins();
        manager.startPlugins();
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
        return manager.getPlugins();
    }

    List<String> extensionClasses(String pluginId) {
        return manager.getExtensionClassNames(pluginId).stream().sorted().toList();
    }

    public GenreClassifier classifier() {
        return first(manager.getExtensions(GenreClassifier.class), "GenreClassifier");
    }

    public GenreLearner learner() {
        return first(manager.getExtensions(GenreLearner.class), "GenreLearner");
    }

    public LibraryTagger tagger() {
        return first(manager.getExtensions(LibraryTagger.class), "LibraryTagger");
    }

    private <T> T first(List<T> found, String what) {
        if (found.isEmpty()) {
            throw new IllegalStateException("no plugin in " + dir + " provides a " + what);
        }
        return found.get(0);
    }

    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }
}
