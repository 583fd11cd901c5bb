package org.genretagger.host;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genretagger.api.Analysis;
import org.genretagger.api.Id3Version;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Classifies every track under a folder and writes the genre into its tags. */
@Command(name = "retag", mixinStandardHelpOptions = true,
        description = {"Classify every track under DIR and write the top genre into its tags.",
            "Options may also come from a config file (--config, or ~/.config/genre-tagger/config.properties) "
                    + "with long option names as keys; the command line wins."})
final class RetagCommand extends HostCli.HostCommand {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the folder to retag, recursively")
    Path root;

    @Option(names = "--dry-run", negatable = true, description = "show what would be written; write nothing")
    Boolean dryRunOption;

    @Option(names = "--report", paramLabel = "FILE.json|FILE.csv", description = "write one row per track: path, outcome, genre before/after, top-3, message")
    Path report;

    @Option(names = "--policy", defaultValue = "fill-empty", paramLabel = "fill-empty|replace|merge",
            description = "tracks with a genre: leave them (default), replace it, or add ours beside it")
    String policy;

    @Option(names = "--min-confidence", paramLabel = "P", description = "write nothing below this probability (default: the model's, chosen on validation data)")
    Double minConfidence;

    @Option(names = "--max-genres", defaultValue = "1", paramLabel = "N", description = "write up to N genres (default ${DEFAULT-VALUE})")
    int maxGenres;

    @Option(names = "--separator", defaultValue = "; ", paramLabel = "S", description = "joins genres for ID3v2.3 and single-string formats (default '${DEFAULT-VALUE}')")
    String separator;

    @Option(names = "--id3", defaultValue = "v2.4", paramLabel = "v2.3|v2.4", description = "ID3v2 version for MP3, WAV, AIFF (default ${DEFAULT-VALUE})")
    String id3;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "worker threads (default: one per core)")
    int threads;

    @Option(names = "--include", split = ",", paramLabel = "GLOB", description = "only paths matching (a glob without '/' matches file names)")
    List<String> includes = List.of();

    @Option(names = "--exclude", split = ",", paramLabel = "GLOB", description = "skip paths matching")
    List<String> excludes = List.of();

    @Option(names = "--follow-symlinks", negatable = true, description = "follow symbolic links inside DIR (never out of it, never in a loop); off by default")
    Boolean followSymlinksOption;

    @Option(names = "--journal", paramLabel = "FILE", description = "where to journal changes (default: a new file in ~/.local/share/genre-tagger/journals)")
    Path journal;

    @Option(names = "--resume", paramLabel = "JOURNAL", description = "continue the run that wrote JOURNAL, skipping finished tracks")
    Path resume;

    @Option(names = "--keep-mtime", negatable = true, description = "keep each file's modification time")
    Boolean keepMtimeOption;

    @Option(names = "--genre-name", split = ",", paramLabel = "LABEL=NAME",
            description = {"written name for a model label, e.g. hiphop='Hip Hop' (defaults: Blues, Classical, Country, Disco, "
                    + "Hip-Hop, Jazz, Metal, Pop, Reggae, Rock); labels given one name count as one genre",
                "in the config file: genre-name=hiphop=Hip Hop,rock=Rock or one genre-name.LABEL=NAME line each; "
                    + "the command line wins label by label"})
    Map<String, String> genreNames = Map.of();

    @Option(names = "--analysis", paramLabel = "full|sample:N", description = "windows classified per track (default: the model's)")
    String analysis;

    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "tag with a model made by learn, writing its genre names (default: the shipped model)")
    Path model;

    @Option(names = "--config", paramLabel = "FILE", description = "config file with option defaults")
    Path config;

    @Override
    public Integer call() throws IOException {
        // Flags: the command line (--x or --no-x), else the config file, else off.
        boolean dryRun = ConfigDefaults.flag(spec, "dry-run", dryRunOption);
        boolean followSymlinks = ConfigDefaults.flag(spec, "follow-symlinks", followSymlinksOption);
        boolean keepMtime = ConfigDefaults.flag(spec, "keep-mtime", keepMtimeOption);
        RetagRequest request = RetagRequest.builder(root)
                .dryRun(dryRun)
                .policy(parsePolicy(policy))
                .minConfidence(minConfidence)
                .maxGenres(maxGenres)
                .separator(separator)
                .id3Version(parseId3(id3))
                .threads(threads)
                .includes(includes)
                .excludes(excludes)
                .followSymlinks(followSymlinks)
                .journal(journal)
                .resume(resume)
                .keepMtime(keepMtime)
                .genreNames(ConfigDefaults.genreNames(spec, genreNames))
                .analysis(analysis != null ? Analysis.parse(analysis) : null)
                .model(model)
                .build();
        PrintWriter out = spec.commandLine().getOut();
        RetagReport result;
        String meaning;
        try (PluginHost host = host()) {
            LibraryTagger tagger = host.tagger();
            ModelInfo info = classifier(host, model).modelInfo();
            double threshold = minConfidence != null ? minConfidence : info.defaultMinConfidence();
            meaning = minConfidence == null && !info.thresholdMeaning().isEmpty() ? info.thresholdMeaning()
                    : minConfidence != null && minConfidence.equals(info.defaultMinConfidence()) && !info.thresholdMeaning().isEmpty()
                    ? info.thresholdMeaning() : null;
            out.printf(Locale.ROOT, "%s%s: policy %s, min confidence %.2f%s%n", dryRun ? "dry run of " : "retag ", root,
                    policy, threshold, meaning != null ? " (" + meaning + ")" : minConfidence != null
                            ? " (given; the model's own threshold is " + String.format(Locale.ROOT, "%.2f", info.defaultMinConfidence()) + ")" : "");
            out.flush();
            try (ProgressListener progress = new ProgressListener(System.out, dryRun ? "dry run" : "retag")) {
                result = tagger.retag(request, progress);
            }
        }
        RunReport.printSummary(result, out);
        if (result.results().stream().anyMatch(r -> r.outcome() == org.genretagger.api.Outcome.LOW_CONFIDENCE)) {
            out.printf(Locale.ROOT, "low confidence: top genre below %.2f, nothing written%s%n", result.minConfidence(),
                    meaning != null ? " (" + meaning + ")" : "");
        }
        if (report != null) {
            RunReport.write(result, report);
            out.println("report: " + report);
        }
        out.println(result.journal() != null ? "journal: " + result.journal() + " (undo with: host-demo undo " + result.journal() + ")"
                : "dry run: nothing written, no journal");
        out.flush();
        return result.hasFailures() ? HostCli.SOME_FAILED : HostCli.OK;
    }

    static TagPolicy parsePolicy(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "fill-empty" -> TagPolicy.FILL_EMPTY;
            case "replace" -> TagPolicy.REPLACE;
            case "merge" -> TagPolicy.MERGE;
            default -> throw new IllegalArgumentException("--policy must be fill-empty, replace or merge, not '" + s + "'");
        };
    }

    static Id3Version parseId3(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "v2.3", "2.3" -> Id3Version.V2_3;
            case "v2.4", "2.4" -> Id3Version.V2_4;
            default -> throw new IllegalArgumentException("--id3 must be v2.3 or v2.4, not '" + s + "'");
        };
    }
}
