package org.genretagger.trainer;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.features.LogMel;
import org.genretagger.plugin.features.MelParameters;
import org.genretagger.plugin.features.Npy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The trainer's command line: {@code train}, {@code evaluate}, {@code features} and {@code corpus}. */
@Command(name = "trainer", mixinStandardHelpOptions = true, version = "genre-tagger trainer 0.1.0",
        description = "Rebuilds, measures and inspects the genre model.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, TrainerCli.Features.class,
            org.genretagger.trainer.imports.KerasImport.class, org.genretagger.trainer.imports.EfficientAtImport.class,
            org.genretagger.trainer.corpus.CorpusCommand.class})
public final class TrainerCli implements Callable<Integer> {

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        CommandLine cli = new CommandLine(new TrainerCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("error: " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }

    /** Writes the log-mel of any audio file as librosa would, for comparison. */
    @Command(name = "features", mixinStandardHelpOptions = true,
            description = "Write the log-mel spectrogram of FILE (128 x frames float32, power_to_db ref=max, "
                    + "amin 1e-10, top_db 80) as .npy.")
    static final class Features implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "an audio file in any supported format")
        Path file;

        @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "where to write")
        Path out;

        @Option(names = "--sr", defaultValue = "22050", description = "sample rate to resample to (default ${DEFAULT-VALUE})")
        int sampleRate;

        @Override
        public Integer call() throws Exception {
            float[] samples = AudioDecoder.decodeAll(file, sampleRate);
            float[][] db = LogMel.powerToDbRefMax(new LogMel(MelParameters.librosaDefaults(sampleRate)).melPower(samples));
            Npy.write(out, db);
            System.out.printf("%s: %d x %d log-mel frames written to %s%n", file, db.length, db[0].length, out);
            return 0;
        }
    }
}
