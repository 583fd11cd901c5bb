package org.genretagger.host.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.genretagger.api.Analysis;
import org.genretagger.api.AudioCheck;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import org.genretagger.host.Converters;
import org.genretagger.host.HostCli;
import org.genretagger.host.PluginHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures what a library owner cares about: how fast a collection is tagged, how much memory it
 * takes, how long the plugin needs to start. The options and the one retag every job measures are
 * here; the jobs are {@link ThroughputBench}, {@link MemoryBench} and {@link ChildJvm} (the
 * measured child), on corpora from {@link Corpus}, with memory figures from {@link Proc}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the plugin as a host uses it: start-up, then a full retag (tags written into a copy) of a "
                + "synthetic corpus of 4-minute 44.1 kHz stereo MP3s and a FLAC/M4A mix; prints tracks/s, audio seconds "
                + "per wall second, seconds per stage, peak RSS.",
            "--memory instead compares the peak RSS of a 4-minute and a 2-hour track (child JVMs) and samples RSS over "
                + "a long run.",
            "The corpus is built once by trainer.jar corpus and cached."})
public final class BenchCommand extends HostCli.HostCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--tracks", defaultValue = "100", paramLabel = "N", description = "MP3 tracks in the corpus (default ${DEFAULT-VALUE})")
    int tracks;

    @Option(names = "--mix", defaultValue = "20", paramLabel = "N", description = "FLAC/M4A tracks in a second set, 0 for none (default ${DEFAULT-VALUE})")
    int mix;

    @Option(names = "--minutes", defaultValue = "4", paramLabel = "M", description = "track length (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--analysis", split = ",", paramLabel = "full|sample:N[,...]", converter = Converters.AnalysisText.class,
            description = "windows classified per track (default: the model's); several, comma-separated, run one after the other")
    List<Analysis> analysis;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "worker threads (default: one per core)")
    int threads;

    @Option(names = "--dry-run", description = "classify only, write no tags")
    boolean dryRun;

    @Option(names = "--verify", split = ",", paramLabel = "packets|decode[,...]", converter = Converters.Verify.class,
            description = "how writes prove the audio unchanged (default packets); several, comma-separated, run one after the other")
    List<AudioCheck> verify;

    @Option(names = "--corpus", paramLabel = "DIR", description = "benchmark these tracks instead of the generated MP3 set "
            + "(a folder written by trainer.jar corpus, or any folder with --minutes telling the track length)")
    Path corpus;

    @Option(names = "--cache", paramLabel = "DIR", description = "where generated corpora are kept (default: ~/.cache/genre-tagger/bench)")
    Path cache;

    @Option(names = "--work", paramLabel = "DIR", description = "where the copies being retagged go (default: a temporary folder, deleted after)")
    Path work;

    @Option(names = "--trainer-jar", paramLabel = "JAR", description = "the trainer that writes corpora (default: ../../trainer/<build dir>/trainer.jar from host-demo.jar)")
    Path trainerJar;

    @Option(names = "--memory", description = "memory mode: peak RSS of a 4-minute against a 2-hour track, and RSS over a long run")
    boolean memory;

    @Option(names = "--long-run", defaultValue = "1000", paramLabel = "N", description = "tracks in the memory mode's long run, 0 to skip (default ${DEFAULT-VALUE})")
    int longRun;

    @Option(names = "--long-minutes", defaultValue = "0.5", paramLabel = "M", description = "track length in the long run (default ${DEFAULT-VALUE})")
    double longMinutes;

    @Option(names = "--long-file-minutes", defaultValue = "120", paramLabel = "M", description = "the long file of the memory mode (default ${DEFAULT-VALUE})")
    double longFileMinutes;

    /** Internal: runs one measured retag in this JVM and prints machine-readable lines (memory mode's child). */
    @Option(names = "--child", hidden = true, paramLabel = "DIR")
    Path child;

    /** Internal: only loads the plugin and the model in this (fresh) JVM and prints how long it took. */
    @Option(names = "--child-startup", hidden = true)
    boolean childStartup;

    PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (childStartup) {
            return new ChildJvm(this).startup();
        }
        if (child != null) {
            return new ChildJvm(this).retag(child);
        }
        Path cacheDir = cache != null ? cache : Path.of(System.getProperty("user.home"), ".cache", "genre-tagger", "bench");
        Corpus corpora = new Corpus(cacheDir, trainerJar, out);
        return memory ? new MemoryBench(this, corpora).run() : new ThroughputBench(this, corpora).run();
    }

    /** The plugins, loaded as {@code --plugins-dir} says. */
    PluginHost plugins() {
        return host();
    }

    /** The folder plugins are loaded from, to hand to a child JVM. */
    Path pluginsFolder() {
        return pluginsDir != null ? pluginsDir : PluginHost.defaultDir();
    }

    /** @return the analyses to run one after the other; one null (the model's default) when none was given */
    List<Analysis> analyses() {
        return analysis != null ? analysis : java.util.Collections.singletonList(null);
    }

    /** @return the write checks to run one after the other: {@code --verify}'s, else the request's default (a dry run writes nothing to check) */
    List<AudioCheck> checks() {
        return dryRun || verify == null ? List.of(RetagRequest.builder(Path.of("")).build().verify()) : verify;
    }

    /** The retag every job measures: policy replace, threshold 0, so every track is written. */
    RetagReport retag(PluginHost host, Path root, Analysis a, AudioCheck check, Path journal, RetagListener listener) {
        RetagRequest request = RetagRequest.builder(root)
                .dryRun(dryRun)
                .verify(check)
                .policy(TagPolicy.REPLACE)
                .minConfidence(0.0)
                .threads(threads)
                .journal(dryRun ? null : journal)
                .analysis(a)
                .build();
        return host.tagger().retag(request, listener);
    }

    /** @return a length in minutes as a name part: {@code 4}, {@code 0.5} */
    static String fmt(double minutes) {
        return minutes == Math.rint(minutes) ? Long.toString((long) minutes) : Double.toString(minutes);
    }
}
