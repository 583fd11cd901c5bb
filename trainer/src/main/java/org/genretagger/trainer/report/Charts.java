package org.genretagger.trainer.report;

import org.genretagger.plugin.evaluation.Calibration;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts for the training report, drawn headless ({@code java.awt.headless=true} is set when
 * this class loads, so it works on a server without a display).
 *
 * <p>The confusion matrix is drawn with plain Java2D rather than xchart's heat map, to control
 * the layout: truth top-to-bottom in label order, counts in every cell, colour by the row's
 * fraction (so rare and common genres read alike) and column labels slanted to stay legible.
 * The curves and the reliability diagram use xchart. Image sizes are fixed (see the constants),
 * so reports look the same from run to run.
 */
public final class Charts {

    static {
        // Must happen before AWT initialises; training machines usually have no display.
        System.setProperty("java.awt.headless", "true");
    }

    /** Width and height of {@link #confusionMatrixPng}. */
    public static final int CONFUSION_SIZE = 900;
    /** Width of {@link #trainingCurvesPng}. */
    public static final int CURVES_WIDTH = 900;
    /** Height of {@link #trainingCurvesPng}: two stacked panels of half this height. */
    public static final int CURVES_HEIGHT = 860;
    /** Width and height of {@link #reliabilityPng}. */
    public static final int RELIABILITY_SIZE = 700;

    private static final Color DARK = new Color(8, 48, 107);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);

    private Charts() {
    }

    /**
     * A confusion-matrix heat map: rows are true genres, columns predicted genres, the count is
     * written in each cell and the cell's shade is its share of the row (row-normalised recall).
     * The image is {@value #CONFUSION_SIZE} pixels square.
     *
     * @param counts {@code [true][predicted]}, square, one row per label
     * @param labels class labels in matrix order
     * @param out    PNG file to write; parent folders are created
     * @param title  drawn above the matrix
     */
    public static void confusionMatrixPng(int[][] counts, List<String> labels, Path out, String title)
            throws IOException {
        int n = labels.size();
        if (n == 0 || counts.length != n) {
            throw new IllegalArgumentException("confusion matrix has " + counts.length + " rows for "
                    + n + " labels");
        }
        for (int[] row : counts) {
            if (row.length != n) {
                throw new IllegalArgumentException("confusion matrix must be " + n + "x" + n);
            }
        }
        BufferedImage img = new BufferedImage(CONFUSION_SIZE, CONFUSION_SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, CONFUSION_SIZE, CONFUSION_SIZE);

            g.setFont(LABEL_FONT);
            FontMetrics fm = g.getFontMetrics();
            int maxLabel = 0;
            for (String l : labels) {
                maxLabel = Math.max(maxLabel, fm.stringWidth(l));
            }
            int top = 70;
            int left = 40 + maxLabel + 16;                       // "true" axis title + row labels
            int bottom = 40 + (int) Math.ceil(maxLabel * Math.sin(Math.PI / 4)) + 24; // slanted labels
            int right = 70;                                       // row totals
            int grid = Math.min(CONFUSION_SIZE - left - right, CONFUSION_SIZE - top - bottom);
            int cell = Math.max(1, grid / n);
            grid = cell * n;

            g.setColor(Color.BLACK);
            g.setFont(TITLE_FONT);
            drawCentered(g, title, left + grid / 2, 40);

            Font cellFont = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(9, Math.min(20, cell / 3)));
            for (int t = 0; t < n; t++) {
                int rowTotal = 0;
                for (int c : counts[t]) {
                    rowTotal += c;
                }
                for (int p = 0; p < n; p++) {
                    double share = rowTotal == 0 ? 0 : (double) counts[t][p] / rowTotal;
                    int x = left + p * cell;
                    int y = top + t * cell;
                    g.setColor(shade(share));
                    g.fillRect(x, y, cell, cell);
                    g.setColor(new Color(200, 200, 200));
                    g.drawRect(x, y, cell, cell);
                    g.setFont(cellFont);
                    g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                    drawCentered(g, Integer.toString(counts[t][p]), x + cell / 2,
                            y + cell / 2 + g.getFontMetrics().getAscent() / 2 - 2);
                }
                // row label, right-aligned against the grid
                g.setFont(LABEL_FONT);
                g.setColor(Color.BLACK);
                String label = labels.get(t);
                g.drawString(label, left - 8 - fm.stringWidth(label), top + t * cell + cell / 2 + fm.getAscent() / 2 - 2);
                // row total on the right
                g.setColor(Color.DARK_GRAY);
                g.drawString("n=" + rowTotal, left + grid + 8, top + t * cell + cell / 2 + fm.getAscent() / 2 - 2);
            }
            // diagonal outline so the right answers stand out
            g.setColor(new Color(230, 120, 0));
            g.setStroke(new BasicStroke(2f));
            for (int k = 0; k < n; k++) {
                g.drawRect(left + k * cell + 1, top + k * cell + 1, cell - 2, cell - 2);
            }
            g.setStroke(new BasicStroke(1f));
            // column labels slanted 45 degrees under the grid
            g.setFont(LABEL_FONT);
            g.setColor(Color.BLACK);
            for (int p = 0; p < n; p++) {
                AffineTransform saved = g.getTransform();
                g.translate(left + p * cell + cell / 2 + fm.getAscent() / 3, top + grid + 8);
                g.rotate(Math.PI / 4);
                g.drawString(labels.get(p), 0, 0);
                g.setTransform(saved);
            }
            g.setFont(AXIS_FONT);
            drawCentered(g, "predicted genre", left + grid / 2, CONFUSION_SIZE - 14);
            AffineTransform saved = g.getTransform();
            g.translate(24, top + grid / 2);
            g.rotate(-Math.PI / 2);
            drawCentered(g, "true genre", 0, 0);
            g.setTransform(saved);
        } finally {
            g.dispose();
        }
        write(img, out);
    }

    /**
     * Training curves in two stacked panels, {@value #CURVES_WIDTH} x {@value #CURVES_HEIGHT}:
     * losses above (train, and validation when recorded), accuracies below (train windows,
     * validation windows, validation tracks). Non-finite values are left out of their series.
     *
     * @param epochs at least one epoch, in order
     * @param out    PNG file to write; parent folders are created
     */
    public static void trainingCurvesPng(List<EpochLog> epochs, Path out) throws IOException {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no epochs to plot");
        }
        int panelHeight = CURVES_HEIGHT / 2;
        XYChart loss = new XYChartBuilder().width(CURVES_WIDTH).height(panelHeight)
                .title("Loss per epoch").xAxisTitle("epoch").yAxisTitle("loss").build();
        style(loss, epochs);
        loss.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        addSeries(loss, "train loss", epochs, EpochLog::trainLoss, new Color(31, 119, 180));
        addSeries(loss, "validation loss", epochs, EpochLog::validLoss, new Color(255, 127, 14));

        XYChart acc = new XYChartBuilder().width(CURVES_WIDTH).height(panelHeight)
                .title("Accuracy per epoch").xAxisTitle("epoch").yAxisTitle("accuracy").build();
        style(acc, epochs);
        acc.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        acc.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0");
        addSeries(acc, "train, windows", epochs, EpochLog::trainWindowAcc, new Color(31, 119, 180));
        addSeries(acc, "validation, windows", epochs, EpochLog::validWindowAcc, new Color(255, 127, 14));
        addSeries(acc, "validation, tracks", epochs, EpochLog::validTrackAcc, new Color(44, 160, 44));

        BufferedImage img = new BufferedImage(CURVES_WIDTH, CURVES_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, CURVES_WIDTH, CURVES_HEIGHT);
            g.drawImage(BitmapEncoder.getBufferedImage(loss), 0, 0, null);
            g.drawImage(BitmapEncoder.getBufferedImage(acc), 0, panelHeight, null);
        } finally {
            g.dispose();
        }
        write(img, out);
    }

    /**
     * A reliability diagram, {@value #RELIABILITY_SIZE} pixels square: accuracy against mean
     * top-1 confidence for every non-empty bin, with the diagonal of perfect calibration.
     *
     * @param bins  from {@link Calibration#reliabilityTable}
     * @param out   PNG file to write; parent folders are created
     * @param title e.g. "Validation tracks, T = 1.6, ECE = 0.041"
     */
    public static void reliabilityPng(List<Calibration.Bin> bins, Path out, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(RELIABILITY_SIZE).height(RELIABILITY_SIZE)
                .title(title).xAxisTitle("mean top-1 confidence").yAxisTitle("accuracy").build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0)
                .setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        XYSeries diag = chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
        diag.setMarker(SeriesMarkers.NONE);
        diag.setLineColor(Color.GRAY);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Calibration.Bin b : bins) {
            if (b.count() > 0) {
                x.add(b.meanConfidence());
                y.add(b.accuracy());
            }
        }
        if (!x.isEmpty()) {
            XYSeries s = chart.addSeries("model (one point per non-empty bin)", x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(DARK);
            s.setMarkerColor(DARK);
        }
        write(BitmapEncoder.getBufferedImage(chart), out);
    }

    private static void style(XYChart chart, List<EpochLog> epochs) {
        int first = epochs.get(0).epoch();
        int last = epochs.get(epochs.size() - 1).epoch();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisMin((double) first).setXAxisMax((double) Math.max(last, first + 1))
                .setXAxisDecimalPattern("0");
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        chart.getStyler().setMarkerSize(6);
    }

    private static void addSeries(XYChart chart, String name, List<EpochLog> epochs,
                                  ToDoubleFunction<EpochLog> value, Color color) {
        List<Integer> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochLog e : epochs) {
            double v = value.applyAsDouble(e);
            if (Double.isFinite(v)) {
                x.add(e.epoch());
                y.add(v);
            }
        }
        if (x.isEmpty()) {
            return; // e.g. no validation loss recorded
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(color);
        s.setMarkerColor(color);
    }

    /** White for 0, dark blue for 1. */
    private static Color shade(double share) {
        double s = Math.max(0, Math.min(1, share));
        return new Color(
                (int) Math.round(255 + (DARK.getRed() - 255) * s),
                (int) Math.round(255 + (DARK.getGreen() - 255) * s),
                (int) Math.round(255 + (DARK.getBlue() - 255) * s));
    }

    private static void drawCentered(Graphics2D g, String s, int cx, int baseline) {
        g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
    }

    private static void write(BufferedImage img, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", out.toFile())) {
            throw new IOException("no PNG writer available to write " + out);
        }
    }
}
