package org.genretagger.trainer.report;

import org.genretagger.plugin.evaluation.Calibration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    private static final List<String> GTZAN = List.of("blues", "classical", "country", "disco", "hiphop",
            "jazz", "metal", "pop", "reggae", "rock");

    @TempDir
    Path tmp;

    /** Set -Dgenretagger.chartsDir=... to keep the PNGs for a look. */
    private Path dir() {
        String keep = System.getProperty("genretagger.chartsDir");
        return keep == null ? tmp : Path.of(keep);
    }

    private static BufferedImage readBack(Path png) throws IOException {
        assertTrue(Files.size(png) > 1000, png + " is suspiciously small");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " is not a readable PNG");
        return img;
    }

    /** True if the image is not one flat colour, i.e. something was drawn. */
    private static boolean hasContent(BufferedImage img) {
        int first = img.getRGB(0, 0);
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                if (img.getRGB(x, y) != first) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void confusionMatrixPng() throws IOException {
        Random rnd = new Random(3);
        int[][] counts = new int[10][10];
        for (int t = 0; t < 10; t++) {
            for (int i = 0; i < 20; i++) {
                counts[t][rnd.nextDouble() < 0.7 ? t : rnd.nextInt(10)]++;
            }
        }
        Path out = dir().resolve("sub/confusion.png");
        Charts.confusionMatrixPng(counts, GTZAN, out, "Validation tracks (200), accuracy 0.74");
        BufferedImage img = readBack(out);
        assertEquals(Charts.CONFUSION_SIZE, img.getWidth());
        assertEquals(Charts.CONFUSION_SIZE, img.getHeight());
        assertTrue(hasContent(img));
        assertThrows(IllegalArgumentException.class,
                () -> Charts.confusionMatrixPng(new int[2][2], GTZAN, tmp.resolve("x.png"), "bad"));
    }

    @Test
    void trainingCurvesPng() throws IOException {
        List<EpochLog> epochs = new ArrayList<>();
        for (int e = 1; e <= 30; e++) {
            double f = Math.exp(-e / 8.0);
            epochs.add(new EpochLog(e, 0.3 + 1.9 * f, 0.95 - 0.8 * f, 0.75 - 0.6 * f, 0.8 - 0.6 * f,
                    e % 2 == 0 ? 0.7 + 1.6 * f : Double.NaN, 1e-3, 42.0));
        }
        Path out = dir().resolve("curves.png");
        Charts.trainingCurvesPng(epochs, out);
        BufferedImage img = readBack(out);
        assertEquals(Charts.CURVES_WIDTH, img.getWidth());
        assertEquals(Charts.CURVES_HEIGHT, img.getHeight());
        assertTrue(hasContent(img));

        // a single epoch without validation loss still plots
        Path one = tmp.resolve("one.png");
        Charts.trainingCurvesPng(List.of(new EpochLog(1, 2.0, 0.3, 0.25, 0.3, Double.NaN, 1e-3, 10)), one);
        assertEquals(Charts.CURVES_WIDTH, readBack(one).getWidth());
        assertThrows(IllegalArgumentException.class, () -> Charts.trainingCurvesPng(List.of(), tmp.resolve("e.png")));
    }

    @Test
    void reliabilityPng() throws IOException {
        Random rnd = new Random(5);
        double[][] probs = new double[500][];
        int[] truth = new int[500];
        for (int i = 0; i < 500; i++) {
            double c = 0.3 + 0.7 * rnd.nextDouble();
            probs[i] = new double[] {c, 1 - c};
            truth[i] = rnd.nextDouble() < c * 0.9 ? 0 : 1;
        }
        List<Calibration.Bin> bins = Calibration.reliabilityTable(probs, truth, 15);
        double ece = Calibration.expectedCalibrationError(probs, truth, 15);
        Path out = dir().resolve("reliability.png");
        Charts.reliabilityPng(bins, out, String.format(java.util.Locale.ROOT, "Validation tracks, ECE = %.3f", ece));
        BufferedImage img = readBack(out);
        assertEquals(Charts.RELIABILITY_SIZE, img.getWidth());
        assertEquals(Charts.RELIABILITY_SIZE, img.getHeight());
        assertTrue(hasContent(img));
    }

    @Test
    void epochLogRoundTripsThroughGsonIncludingAMissingValidLoss() {
        Gson gson = new GsonBuilder().serializeSpecialFloatingPointValues().create();
        EpochLog e = new EpochLog(3, 1.25, 0.5, 0.45, 0.6, Double.NaN, 1e-3, 12.5);
        String json = gson.toJson(e);
        assertTrue(json.contains("\"trainWindowAcc\":0.5"), json);
        EpochLog back = gson.fromJson(json, EpochLog.class);
        assertEquals(e, back);
        assertTrue(!back.hasValidLoss());
    }
}
