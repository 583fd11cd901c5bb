package org.genretagger.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.genretagger.plugin.features.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code trainer features FILE --out FILE.npy} writes librosa's log-mel of any audio file. */
class FeaturesCommandTest {
    private static final Path FIXTURES = Path.of("../genre-plugin/src/test/resources/librosa-mel");

    @Test
    void writesTheLogMelLibrosaComputes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("chirp.npy");
        int exit = new CommandLine(new TrainerCli()).execute("features", FIXTURES.resolve("chirp.wav").toString(), "--out", out.toString());
        assertEquals(0, exit);
        float[][] ours = Npy.read(out);
        float[][] ref = Npy.read(FIXTURES.resolve("chirp.logmel.npy"));
        assertEquals(ref.length, ours.length);
        assertEquals(ref[0].length, ours[0].length);
        double worst = 0;
        for (int m = 0; m < ref.length; m++) {
            for (int t = 0; t < ref[m].length; t++) {
                worst = Math.max(worst, Math.abs(ref[m][t] - ours[m][t]));
            }
        }
        assertEquals(0.0, worst, 0.01, "max |logmel - librosa| in dB");
    }
}
