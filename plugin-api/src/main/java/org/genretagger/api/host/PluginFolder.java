package org.genretagger.api.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/**
 * The plugins of a folder, loaded and started with PF4J the way a host does: each plugin zip is
 * unpacked and loaded in its own class loader, and extensions are looked up by their API type.
 * The one way both hosts of this project (the command line and the Spark executors) load plugins.
 */
public final class PluginFolder implements AutoCloseable {
    private final PluginManager manager;
    private final Path dir;

    /**
     * Loads and starts every plugin in a folder.
     *
     * @param dir the folder of plugin zips (PF4J unpacks each beside itself)
     */
    public PluginFolder(Path dir) {
        this.dir = dir;
        this.manager = new DefaultPluginManager(dir);
        manager.loadPlugins();
        manager.startPlugins();
    }

    /**
     * Loads one plugin zip from a private copy: a new temporary folder, removed when the JVM ends
     * (for a host that cannot unpack beside the zip, e.g. a file shipped to a Spark executor).
     *
     * @param zip the plugin zip
     * @return its plugin, loaded and started
     * @throws UncheckedIOException if the zip cannot be copied
     */
    public static PluginFolder ofZip(Path zip) {
        try {
            Path dir = Files.createTempDirectory("genre-plugins-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            Files.copy(zip, dir.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            return new PluginFolder(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the plugin " + zip, e);
        }
    }

    /** @return the PF4J manager, for hosts that need the plugins' class loaders */
    public PluginManager manager() {
        return manager;
    }

    /** @return the folder the plugins were loaded from */
    public Path dir() {
        return dir;
    }

    /**
     * @param type an extension point
     * @param <T> its type
     * @return the first extension of that type the plugins provide, if any
     */
    public <T> Optional<T> extension(Class<T> type) {
        return manager.getExtensions(type).stream().findFirst();
    }

    /** @return the loaded plugins */
    public List<PluginWrapper> plugins() {
        return manager.getPlugins();
    }

    /**
     * @param pluginId a loaded plugin's id
     * @return the class names of its extensions, sorted
     */
    public List<String> extensionClasses(String pluginId) {
        return manager.getExtensionClassNames(pluginId).stream().sorted().toList();
    }

    /** Stops and unloads the plugins. */
    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort at exit
        }
    }
}
