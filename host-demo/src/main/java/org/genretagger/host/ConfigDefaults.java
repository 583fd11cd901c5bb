package org.genretagger.host;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a config file: {@code --config FILE}, else
 * {@code $XDG_CONFIG_HOME/genre-tagger/config.properties} (by default under {@code ~/.config}).
 * Keys are long option names without dashes, e.g. {@code policy=replace}, {@code min-confidence=0.7},
 * {@code genre-name=hiphop=Hip Hop,rnb=R&B}; the command line wins.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    private final Properties properties = new Properties();

    ConfigDefaults(String[] args) {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            }
        }
        boolean explicit = file != null;
        if (file == null) {
            String xdg = System.getenv("XDG_CONFIG_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
            file = base.resolve("genre-tagger").resolve("config.properties");
        }
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage());
            }
        } else if (explicit) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        }
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            String key = option.longestName().replaceFirst("^-+", "");
            String value = properties.getProperty(key);
            if (value != null) {
                return value.trim();
            }
        }
        return arg.defaultValue();
    }
}
