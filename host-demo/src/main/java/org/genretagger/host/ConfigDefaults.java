package org.genretagger.host;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a config file, picocli's default provider for every command: {@code --config FILE}
 * ({@link ConfigOption}, on the commands that take it), else
 * {@code $XDG_CONFIG_HOME/genre-tagger/config.properties} (by default under {@code ~/.config}).
 * Keys are long option names without dashes, e.g. {@code policy=replace}, {@code min-confidence=0.7},
 * {@code genre-name=hiphop=Hip Hop,rnb=R&B} (or {@code genre-name.hiphop=Hip Hop}); flags take
 * {@code true}/{@code false} and can be turned off on the command line with {@code --no-...};
 * the command line wins. {@code genres=A,B} narrows {@code retag} and {@code classify} only:
 * {@code learn --genres} (which genres to learn) means something else and takes no default from it.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    /** The config file when {@code --config} names none. */
    private final Path standard;
    /** The file {@code --config} named, or null. */
    private Path given;
    /** Loaded on first use, after the command line is parsed (picocli asks for defaults then). */
    private Properties properties;

    /** Defaults from the standard config file, until a command's {@code --config} names another. */
    ConfigDefaults() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        standard = base.resolve("genre-tagger").resolve("config.properties");
    }

    /**
     * Defaults for a caller that parses only part of a command line (the {@code --config FILE}
     * among {@code args}, found by picocli with the same option the commands declare).
     *
     * @param args a command line
     */
    ConfigDefaults(String... args) {
        this();
        CommandLine only = new CommandLine(new ConfigOption());
        only.setDefaultValueProvider(this);
        only.setUnmatchedArgumentsAllowed(true);
        only.parseArgs(args);
    }

    /** A config file that cannot be used: a usage error that says which and why. */
    static final class Unusable extends ParameterException {
        private static final long serialVersionUID = 1L;

        Unusable(CommandLine command, String message) {
            super(command, message);
        }
    }

    /** {@code --config FILE}: the command's option defaults come from FILE instead of the standard file. */
    static final class ConfigOption {
        /** The command that declares the option as a mixin. */
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;
        /** The option's own command, when parsed alone (see {@link ConfigDefaults#ConfigDefaults(String...)}). */
        @Spec
        CommandSpec self;

        @Option(names = "--config", paramLabel = "FILE", description = "config file with option defaults")
        void use(Path file) {
            CommandSpec command = mixee != null ? mixee : self;
            if (!Files.isRegularFile(file)) {
                throw new Unusable(command.commandLine(), "config file " + file + " does not exist");
            }
            if (command.defaultValueProvider() instanceof ConfigDefaults config) {
                config.given = file;
                config.properties = null;
            }
        }
    }

    private Properties properties() {
        if (properties == null) {
            Properties p = new Properties();
            Path file = given != null ? given : standard;
            if (Files.isRegularFile(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage());
                }
            }
            properties = p;
        }
        return properties;
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
            String joined = config.properties().getProperty("genre-name");
            if (joined != null && !joined.isBlank()) {
                for (String pair : joined.split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("genre-name in the config file must be LABEL=NAME[,LABEL=NAME...], not '" + pair + "'");
                    }
                    out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
            for (String key : config.properties().stringPropertyNames()) {
                if (key.startsWith("genre-name.")) {
                    out.put(key.substring("genre-name.".length()).trim(), config.properties().getProperty(key).trim());
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
            String v = config.properties().getProperty(key);
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
            if (key.equals("config")) {
                return null; // the file does not name another file
            }
            if (key.equals("genres") && option.command() != null && "learn".equals(option.command().name())) {
                return arg.defaultValue(); // learn's --genres is another option that happens to share the name
            }
            String value;
            try {
                value = properties().getProperty(key);
            } catch (IllegalArgumentException e) {
                throw new Unusable(option.command().commandLine(), e.getMessage());
            }
            if (value != null) {
                return value.trim();
            }
        }
        return arg.defaultValue();
    }
}
