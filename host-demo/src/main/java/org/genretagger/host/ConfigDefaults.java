package org.genretagger.host;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a config file: {@code --config FILE}, else
 * {@code $XDG_CONFIG_HOME/genre-tagger/config.properties} (by default under {@code ~/.config}).
 * Keys are long option names without dashes, e.g. {@code policy=replace}, {@code min-confidence=0.7},
 * {@code genre-name=hiphop=Hip Hop,rnb=R&B} (or {@code genre-name.hiphop=Hip Hop}); flags take
 * {@code true}/{@code false} and can be turned off on the command line with {@code --no-...};
 * the command line wins. {@code genres=A,B} narrows {@code retag} and {@code classify} only:
 * {@code learn --genres} (which genres to learn) means something else and takes no default from it.
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

    /**
     * The label-to-name map: the config file's ({@code genre-name=a=A,b=B} and
     * {@code genre-name.LABEL=NAME} lines), overridden label by label by the command line's.
     *
     * @param spec the command, whose default provider may be a config
     * @param given what the option holds after parsing (the config's value when not given)
     * @return the merged map
     */
    static Map<String, String> genreNames(CommandSpec spec, Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec.defaultValueProvider() instanceof ConfigDefaults config) {
            String joined = config.properties.getProperty("genre-name");
            if (joined != null && !joined.isBlank()) {
                for (String pair : joined.split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("genre-name in the config file must be LABEL=NAME[,LABEL=NAME...], not '" + pair + "'");
                    }
                    out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
            for (String key : config.properties.stringPropertyNames()) {
                if (key.startsWith("genre-name.")) {
                    out.put(key.substring("genre-name.".length()).trim(), config.properties.getProperty(key).trim());
                }
            }
        }
        if (given != null) {
            given.forEach((k, v) -> out.put(k.trim(), v.trim()));
        }
        return out;
    }

    /**
     * A flag's value: the command line's ({@code --x} or {@code --no-x}), else the config file's
     * ({@code x=true|false}), else off. (Picocli would turn a negatable flag whose default is true
     * off with {@code --x}, so flags take no default from the config and are resolved here.)
     *
     * @param spec the command, whose default provider may be a config
     * @param key the long option name without dashes
     * @param given the command line's value, or null if not given
     * @return the value
     */
    static boolean flag(CommandSpec spec, String key, Boolean given) {
        if (given != null) {
            return given;
        }
        if (spec.defaultValueProvider() instanceof ConfigDefaults config) {
            String v = config.properties.getProperty(key);
            if (v != null) {
                switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> {
                        return true;
                    }
                    case "false", "no", "off", "0", "" -> {
                        return false;
                    }
                    default -> throw new IllegalArgumentException(key + " in the config file must be true or false, not '" + v + "'");
                }
            }
        }
        return false;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option && option.negatable()) {
            return arg.defaultValue(); // resolved by flag()
        }
        if (arg instanceof OptionSpec option) {
            String key = option.longestName().replaceFirst("^-+", "");
            if (key.equals("genres") && option.command() != null && "learn".equals(option.command().name())) {
                return arg.defaultValue(); // learn's --genres is another option that happens to share the name
            }
            String value = properties.getProperty(key);
            if (value != null) {
                return value.trim();
            }
        }
        return arg.defaultValue();
    }
}
