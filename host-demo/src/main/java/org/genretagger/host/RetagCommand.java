package org.genretagger.host;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genretagger.api.Analysis;
import org.genretagger.api.AudioCheck;
import org.genretagger.api.Grouping;
import org.genretagger.api.Id3Version;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import org.genretagger.host.report.RunReport;

/** Classifies every track under a folder and writes the genre into its tags. */
@Command(name = "retag", mixinStandardHelpOptions = true,
        description = {"Classify every track under DIR and write the top genre into its tags.",
            "Options may also come from a config file (--config, or ~/.config/genre-tagger/config.properties) "
                    + "with long option names as keys; the command line wins."})
final class RetagCommand extends HostCli.HostCommand {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "the folder to retag, recursively")
    Path root;

    @Option(names = "--plan", paramLabel = "FILE.csv|FILE.json",
            description = "a dry run that writes every intended change (path, size, mtime, genre before/after, confidence, album, reason) to edit, then --apply")
    Path plan;

    @Option(names = "--apply", paramLabel = "PLAN", description = "write exactly the changes left in PLAN (made with --plan); nothing is classified, DIR is not needed")
    Path apply;

    @Option(names = "--dry-run", negatable = true, description = "show what would be written; write nothing")
    Boolean dryRunOption;

    @Option(names = "--report", paramLabel = "FILE.json|FILE.csv|FILE.html", description = "write one row per track: path, outcome, genre before/after, top-3, album, message; "
            + ".html: a self-contained page with charts, a sortable table and each track's window timeline")
    Path report;

    @Option(names = "--policy", paramLabel = "fill-empty|replace|merge", converter = Converters.Policy.class,
            description = "tracks with a genre: leave them (default), replace it, or add ours beside it")
    TagPolicy policy;

    @Option(names = "--min-confidence", paramLabel = "P", description = "write nothing below this probability (default: the model's, chosen on validation data)")
    Double minConfidence;

    @Option(names = "--max-genres", paramLabel = "N", description = "write up to N genres (default 1)")
    Integer maxGenres;

    @Option(names = "--separator", paramLabel = "S", description = "joins genres for ID3v2.3 and single-string formats (default '; ')")
    String separator;

    @Option(names = "--id3", paramLabel = "v2.3|v2.4", converter = Converters.Id3.class, description = "ID3v2 version for MP3, WAV, AIFF (default v2.4)")
    Id3Version id3;

    @Mixin
    ScanOptions scan;

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

    @Option(names = "--genres", split = ",", paramLabel = "A,B,C",
            description = {"write only these genres (model labels or names, any case; default: all the model's): the others are "
                    + "set aside and these share their probability; a plan records them and --apply writes no other"})
    List<String> genres = List.of();

    @Option(names = "--analysis", paramLabel = "full|sample:N", converter = Converters.AnalysisText.class,
            description = "windows classified per track (default: the model's)")
    Analysis analysis;

    @Option(names = "--verify", paramLabel = "packets|decode", converter = Converters.Verify.class,
            description = "how a write proves the audio unchanged: compare the audio packets and decoder setup (default), "
                    + "or decode both files whole and compare the samples (slower)")
    AudioCheck verify;
    @Option(names = "--by", paramLabel = "track|album", converter = Converters.By.class,
            description = "one verdict per track (default), or one per album (album-artist/artist + album tags, "
                    + "compilations, or a folder of one artist's untitled tracks) that all its tracks get")
    Grouping by;
    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "tag with a model made by learn, writing its genre names (default: the shipped model)")
    Path model;

    @Mixin
    ConfigDefaults.ConfigOption config;

    @Override
    public Integer call() throws IOException {
        // Flags: the command line (--x or --no-x), else the config file, else off.
        boolean dryRun = ConfigDefaults.flag(spec, "dry-run", dryRunOption) || plan != null;
        if (apply != null && (plan != null || Boolean.TRUE.equals(dryRunOption))) {
            throw new IllegalArgumentException("--apply writes the plan's changes; it goes with neither --dry-run nor --plan");
        }
        if (root == null && apply == null) {
            throw new IllegalArgumentException("retag needs DIR (or --apply PLAN)");
        }
        boolean followSymlinks = ConfigDefaults.flag(spec, "follow-symlinks", followSymlinksOption);
        boolean keepMtime = ConfigDefaults.flag(spec, "keep-mtime", keepMtimeOption);
        // Options not given keep the request's defaults: the builder is their one source.
        RetagRequest.Builder builder = RetagRequest.builder(root != null ? root : apply)
                .dryRun(dryRun)
                .minConfidence(minConfidence)
                .includes(scan.includes)
                .excludes(scan.excludes)
                .followSymlinks(followSymlinks)
                .journal(journal)
                .resume(resume)
                .keepMtime(keepMtime)
                .genreNames(ConfigDefaults.genreNames(spec, genreNames))
                .analysis(analysis)
                .model(model)
                .genres(genres);
        ifGiven(policy, builder::policy);
        ifGiven(maxGenres, builder::maxGenres);
        ifGiven(separator, builder::separator);
        ifGiven(id3, builder::id3Version);
        ifGiven(scan.threads, builder::threads);
        ifGiven(verify, builder::verify);
        ifGiven(by, builder::grouping);
        RetagRequest request = builder.build();
        PrintWriter out = spec.commandLine().getOut();
        if (apply != null) {
            try (PluginHost host = host()) {
                return PlanApply.run(host.tagger(), request, apply, report, out);
            }
        }
        RetagReport result;
        String meaning;
        ModelInfo info;
        try (PluginHost host = host()) {
            LibraryTagger tagger = host.tagger();
            info = classifier(host, model).modelInfo();
            double threshold = request.minConfidenceOr(info.defaultMinConfidence());
            meaning = minConfidence == null && !info.thresholdMeaning().isEmpty() ? info.thresholdMeaning()
                    : minConfidence != null && minConfidence.equals(info.defaultMinConfidence()) && !info.thresholdMeaning().isEmpty()
                    ? info.thresholdMeaning() : null;
            out.printf(Locale.ROOT, "%s%s: policy %s, min confidence %.2f%s%n", dryRun ? "dry run of " : "retag ", root,
                    Converters.Policy.name(request.policy()), threshold, meaning != null ? " (" + meaning + ")" : minConfidence != null
                            ? " (given; the model's own threshold is " + String.format(Locale.ROOT, "%.2f", info.defaultMinConfidence()) + ")" : "");
            if (request.grouping() == Grouping.ALBUM) {
                out.println("by album: every track is heard first, then albums are decided and written; progress counts the writing");
            }
            out.flush();
            try (ProgressListener progress = new ProgressListener(System.out, dryRun ? "dry run" : "retag")) {
                result = plan != null ? tagger.plan(request, plan, progress) : tagger.retag(request, progress);
            }
        }
        RunReport.printSummary(result, out);
        if (result.results().stream().anyMatch(r -> r.outcome() == org.genretagger.api.Outcome.LOW_CONFIDENCE)) {
            out.printf(Locale.ROOT, "low confidence: top genre below %.2f, nothing written%s%n", result.minConfidence(),
                    meaning != null ? " (" + meaning + ")" : "");
        }
        if (report != null) {
            RunReport.write(result, report, info);
            out.println("report: " + report);
        }
        if (plan != null) {
            out.println("plan: " + plan + " (edit it, then write it with: genre-tagger retag --apply " + plan + ")");
        }
        out.println(result.journal() != null ? "journal: " + result.journal() + " (undo with: host-demo undo " + result.journal() + ")"
                : "dry run: nothing written, no journal");
        out.flush();
        return result.hasFailures() ? HostCli.SOME_FAILED : HostCli.OK;
    }
}
