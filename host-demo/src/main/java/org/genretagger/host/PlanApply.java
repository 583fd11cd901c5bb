package org.genretagger.host;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TrackResult;
import org.genretagger.host.report.RunReport;

/** {@code retag --apply PLAN}: writes a reviewed plan through the plugin and reports like a run. */
final class PlanApply {
    private PlanApply() {}

    static int run(LibraryTagger tagger, RetagRequest options, Path plan, Path report, PrintWriter out) throws IOException {
        out.println("apply " + plan + ": writing the genres it lists, nothing classified");
        out.flush();
        RetagReport result;
        try (ProgressListener progress = new ProgressListener(System.out, "apply")) {
            result = tagger.applyPlan(plan, options, progress);
        }
        RunReport.printSummary(result, out);
        for (TrackResult r : result.results()) {
            if (r.outcome() == Outcome.SKIPPED) {
                out.println("skipped: " + r.message());
            }
        }
        if (report != null) {
            RunReport.write(result, report, null);
            out.println("report: " + report);
        }
        out.println("journal: " + result.journal() + " (undo with: genre-tagger undo " + result.journal() + ")");
        out.flush();
        return result.hasFailures() ? HostCli.SOME_FAILED : HostCli.OK;
    }
}
