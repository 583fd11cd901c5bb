package org.genretagger.host;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A command-line host for genre-tagger plugins. Exit codes: 0 all fine, 1 some tracks failed,
 * 2 usage error (a malformed plan included), 3 another run holds the library.
 */
@Command(name = "host-demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Classify tracks and retag a music library with the genre plugin; learn your own genres from your tagged tracks.",
        subcommands = {ClassifyCommand.class, RetagCommand.class, LearnCommand.class, UndoCommand.class, PluginsCommand.class,
            org.genretagger.host.bench.BenchCommand.class, CommandLine.HelpCommand.class})
public final class HostCli implements Callable<Integer> {
    /** Everything went well. */
    public static final int OK = 0;
    /** Some tracks failed. */
    public static final int SOME_FAILED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** Another run holds the library's lock; nothing was written. */
    public static final int BUSY = 3;

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return USAGE;
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * @param args the command line
     * @return the exit code
     */
    static int execute(String... args) {
        CommandLine cli = new CommandLine(new HostCli());
        cli.setDefaultValueProvider(new ConfigDefaults());
        CommandLine.IParameterExceptionHandler standard = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, given) -> {
            // A value a converter refuses, or a config file that cannot be used: what it takes, not the usage help.
            Throwable refused = e.getCause();
            String message = refused instanceof CommandLine.TypeConversionException || refused instanceof IllegalArgumentException
                    ? refused.getMessage() : e instanceof ConfigDefaults.Unusable ? e.getMessage() : null;
            if (message == null) {
                return standard.handleParseException(e, given);
            }
            e.getCommandLine().getErr().println("error: " + message);
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof org.genretagger.api.LibraryBusyException) {
                cmd.getErr().println("error: " + e.getMessage());
                return BUSY;
            }
            if (e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("error: " + e.getMessage());
                return SOME_FAILED;
            }
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + e.getMessage());
                return USAGE;
            }
            cmd.getErr().println("error: " + e);
            return SOME_FAILED;
        });
        return cli.execute(args);
    }

    /** Options every command that loads plugins has. */
    public abstract static class HostCommand implements Callable<Integer> {
        @Option(names = "--plugins-dir", paramLabel = "DIR",
                description = "where plugin zips are (default: plugins/ beside host-demo.jar, or beside its folder)")
        protected Path pluginsDir;

        protected PluginHost host() {
            return new PluginHost(pluginsDir != null ? pluginsDir : PluginHost.defaultDir());
        }

        /**
         * Sets a request builder's value only when the option was given (on the command line or in
         * the config file): otherwise the builder's default stands, its one source.
         */
        static <T> void ifGiven(T value, java.util.function.Consumer<T> setter) {
            if (value != null) {
                setter.accept(value);
            }
        }

        /** The shipped model's classifier, or a learned model's; a model that cannot be used is a usage error. */
        static org.genretagger.api.GenreClassifier classifier(PluginHost host, Path model) {
            if (model == null) {
                return host.classifier();
            }
            try {
                return host.classifier().forModel(model);
            } catch (org.genretagger.api.ClassificationException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }
}
