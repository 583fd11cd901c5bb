package org.genretagger.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A model with a level ({@link ModelConfig#levelDb}) hears a quiet copy of a window as the loud one. */
class WindowLevelTest {
    private static final int MELS = 96;
    private static final int FRAMES = 187;

    private static float[][] window(double scale) {
        Random rng = new Random(5);
        float[][] f = new float[FRAMES][MELS];
        for (int t = 0; t < FRAMES; t++) {
            for (int m = 0; m < MELS; m++) {
                f[t][m] = (float) (scale * Math.exp(-m / 20.0) * (0.5 + rng.nextDouble()));
            }
        }
        return f;
    }

    private static float[] normalised(ModelConfig c, float[][] frames) {
        float[] out = new float[MELS * FRAMES];
        WindowNormaliser.normalise(c, frames, 0, FRAMES, out, 0);
        return out;
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static ModelConfig musicnn(Double levelDb) {
        ModelConfig c = new ModelConfig();
        c.normalisation = WindowNormaliser.LOG10_FLOAT16;
        c.levelDb = levelDb;
        return c;
    }

    @Test
    void aQuietCopyLooksLikeTheOriginalOnlyWithALevel() {
        float[][] loud = window(1.0);
        float[][] quiet = window(0.01); // -20 dB in amplitude is 1/100 in power
        double level = WindowNormaliser.meanPowerDb(loud, 0, FRAMES);
        assertEquals(level - 20, WindowNormaliser.meanPowerDb(quiet, 0, FRAMES), 1e-3);

        // musicnn's own input: the quiet copy is a different picture.
        assertTrue(maxDiff(normalised(musicnn(null), loud), normalised(musicnn(null), quiet)) > 0.5);
        // With a level both are brought to it: the same picture up to float16 rounding.
        assertTrue(maxDiff(normalised(musicnn(level), loud), normalised(musicnn(level), quiet)) < 2e-3);
    }

    @Test
    void nearSilenceIsRaisedByAtMostTheLimit() {
        float[][] silence = window(1e-8); // 80 dB below the level
        float[][] limit = window(1e-8 * Math.pow(10, WindowNormaliser.MAX_LEVEL_GAIN_DB / 10));
        double level = WindowNormaliser.meanPowerDb(window(1.0), 0, FRAMES);
        // Raised by exactly the limit: it looks like the same window 30 dB louder, still far below music.
        assertTrue(maxDiff(normalised(musicnn(level), silence), normalised(musicnn(null), limit)) < 2e-3);
        float[] music = normalised(musicnn(level), window(1.0));
        float[] raised = normalised(musicnn(level), silence);
        assertTrue(raised[0] < music[0] / 10, "near-silence stays near silence: " + raised[0] + " vs " + music[0]);
    }
}
