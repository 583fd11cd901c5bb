package org.genretagger.host;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.genretagger.api.RetagReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import org.genretagger.host.report.RunReport;

/** Restores the genres a run changed. */
@Command(name = "undo", mixinStandardHelpOptions = true,
        description = "Restore the genre fields a retag (or undo) run changed, skipping files changed since.")
final class UndoCommand extends HostCli.HostCommand {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOURNAL", description = "the journal the run named on its last line")
    Path journal;

    @Option(names = "--journal", paramLabel = "FILE",
            description = "where to journal the undo (default: a new file in ~/.local/share/genre-tagger/journals)")
    Path undoJournal;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RetagReport result;
        try (PluginHost host = host();
                ProgressListener progress = new ProgressListener(System.out, "undo")) {
            result = host.tagger().undo(journal, undoJournal, progress);
        }
        RunReport.printSummary(result, out);
        out.println("journal: " + result.journal() + " (undo this undo with: host-demo undo " + result.journal() + ")");
        out.flush();
        return result.hasFailures() ? HostCli.SOME_FAILED : HostCli.OK;
    }
}
