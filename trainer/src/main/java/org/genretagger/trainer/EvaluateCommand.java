package org.genretagger.trainer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.genretagger.api.Analysis;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.trainer.data.Clip;
import org.genretagger.trainer.data.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures a saved model on a split through the plugin's own inference path. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Classification report (track and window level), report.json and a confusion-matrix PNG.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "folder with config.json and weights")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "folder of <genre>/<clip>.<ext>")
    Path data;

    @Option(names = "--split", required = true, paramLabel = "LIST", description = "clips to evaluate, one genre/clip a line")
    Path split;

    @Option(names = "--out", paramLabel = "DIR", description = "where report.json and confusion-matrix.png go")
    Path out;

    @Option(names = "--analysis", defaultValue = "full", paramLabel = "full|sample:N",
            description = "windows per track (default ${DEFAULT-VALUE})")
    String analysis;

    @Option(names = "--robustness", paramLabel = "DIR", description = "instead: accuracy on clean, 64 kbit/s MP3, 96 kbit/s AAC, "
            + "8 kHz low-pass, 16 kHz resampled and -20 dB copies of the clips, kept in DIR")
    Path robustness;

    @Option(names = "--blend", paramLabel = "DIR", description = "also evaluate this second model and print the accuracy of "
            + "late fusions (1-w)*first + w*second of their track probabilities, over the labels both know")
    Path blend;

    @Override
    public Integer call() throws Exception {
        List<Clip> clips = Dataset.scan(data).select(split, true);
        Analysis a = Analysis.parse(analysis);
        try (GenreModel m = GenreModel.load(model)) {
            if (robustness != null) {
                System.out.print(Robustness.table(m, clips, a, robustness, System.out));
                return 0;
            }
            Evaluation.Result r = Evaluation.run(m, clips, a, out, System.out);
            if (blend != null) {
                try (GenreModel second = GenreModel.load(blend)) {
                    Evaluation.Result r2 = Evaluation.run(second, clips, a, null, new PrintStream(PrintStream.nullOutputStream()));
                    System.out.println("Blend of " + m.config().name + " (first) and " + second.config().name + " (second):");
                    System.out.print(Blend.table(r, m.config().labels, r2, second.config().labels));
                }
            }
            return r.failed().isEmpty() ? 0 : 1;
        }
    }
}
