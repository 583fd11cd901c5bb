package org.genretagger.trainer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.WindowPrediction;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.trainer.data.Clip;
import org.genretagger.plugin.evaluation.Calibration;
import org.genretagger.trainer.report.Charts;
import org.genretagger.plugin.evaluation.ClassificationReport;
import org.genretagger.plugin.evaluation.ConfidenceThreshold;

/**
 * Measures a saved model on labelled clips through the plugin's own path (decode, streaming
 * log-mel, windows, batched inference, track verdict), so the figures are what users get.
 */
public final class Evaluation {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * The figures of one evaluation.
     *
     * @param track the track-level report
     * @param window the window-level report
     * @param ece expected calibration error of track probabilities (15 bins)
     * @param threshold the confidence threshold reaching 90 % precision
     * @param failed clips that could not be classified, with the reason
     * @param clips the keys of the classified clips
     * @param truth their true label indices
     * @param probabilities their track probabilities, in the model's label order
     */
    public record Result(ClassificationReport track, ClassificationReport window, double ece,
            ConfidenceThreshold.Choice threshold, List<String> failed, List<String> clips, int[] truth, double[][] probabilities) {}

    private record TrackRow(String clip, String truth, double[] probabilities) {}

    private Evaluation() {}

    /**
     * @param model the model
     * @param clips labelled clips
     * @param analysis how many windows per track
     * @param out where report.json and confusion-matrix.png go; null for none
     * @param log where the text reports go
     * @return the figures
     * @throws IOException if the outputs cannot be written
     */
    public static Result run(GenreModel model, List<Clip> clips, Analysis analysis, Path out, PrintStream log) throws IOException {
        List<String> labels = model.config().labels;
        TrackAnalyzer analyzer = new TrackAnalyzer(model);
        List<Integer> truth = new ArrayList<>();
        List<Integer> predicted = new ArrayList<>();
        List<double[]> probs = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Integer> windowTruth = new ArrayList<>();
        List<Integer> windowPred = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        try (ProgressBar bar = Training.bar("evaluate", clips.size())) {
            for (Clip c : clips) {
                int t = labels.indexOf(c.label());
                if (t < 0) {
                    failed.add(c.key() + ": genre '" + c.label() + "' is not one of the model's labels");
                    bar.step();
                    continue;
                }
                try {
                    TrackPrediction p = analyzer.analyze(c.file(), analysis, null);
                    double[] byLabel = new double[labels.size()];
                    p.genres().forEach(g -> byLabel[labels.indexOf(g.label())] = g.probability());
                    truth.add(t);
                    predicted.add(labels.indexOf(p.top().label()));
                    probs.add(byLabel);
                    keys.add(c.key());
                    for (WindowPrediction w : p.timeline()) {
                        windowTruth.add(t);
                        windowPred.add(Calibration.argmax(w.probabilities().stream().mapToDouble(Double::doubleValue).toArray()));
                    }
                } catch (ClassificationException e) {
                    failed.add(e.getMessage());
                }
                bar.step();
            }
        }
        int[] tr = truth.stream().mapToInt(Integer::intValue).toArray();
        ClassificationReport track = ClassificationReport.of(tr, predicted.stream().mapToInt(Integer::intValue).toArray(), labels);
        ClassificationReport window = ClassificationReport.of(windowTruth.stream().mapToInt(Integer::intValue).toArray(),
                windowPred.stream().mapToInt(Integer::intValue).toArray(), labels);
        double[][] p = probs.toArray(new double[0][]);
        double ece = Calibration.expectedCalibrationError(p, tr);
        double[] top = new double[p.length];
        boolean[] right = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = Calibration.argmax(p[i]);
            top[i] = p[i][best];
            right[i] = best == tr[i];
        }
        ConfidenceThreshold.Choice threshold = ConfidenceThreshold.choose(top, right);

        log.println("Track level (" + tr.length + " tracks, analysis " + (analysis == null ? "model default" : analysis) + "):");
        log.println(track.format());
        log.println("Window level (" + windowTruth.size() + " windows):");
        log.println(window.format());
        log.printf("Expected calibration error (track, 15 bins): %.3f%n", ece);
        log.println(threshold.describe("evaluation"));
        for (String f : failed) {
            log.println("failed: " + f);
        }
        if (out != null) {
            Files.createDirectories(out);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", model.config().name + " " + model.config().version);
            json.put("tracks", tr.length);
            json.put("trackAccuracy", track.accuracy());
            json.put("macroF1", track.macroAvg().f1());
            json.put("weightedF1", track.weightedAvg().f1());
            json.put("windowAccuracy", window.accuracy());
            json.put("expectedCalibrationError", ece);
            json.put("track", track.toSummary());
            json.put("window", window.toSummary());
            json.put("confusionMatrix", track.confusionMatrix().counts());
            json.put("labels", labels);
            json.put("threshold", threshold);
            json.put("reliability", Calibration.reliabilityTable(p, tr, Calibration.DEFAULT_BINS));
            json.put("failed", failed);
            List<TrackRow> perTrack = new ArrayList<>();
            for (int i = 0; i < p.length; i++) {
                perTrack.add(new TrackRow(keys.get(i), labels.get(tr[i]), p[i]));
            }
            // Per-track probabilities (in label order), for comparing models clip by clip.
            json.put("predictions", perTrack);
            Files.writeString(out.resolve("report.json"), GSON.toJson(json), StandardCharsets.UTF_8);
            Charts.confusionMatrixPng(track.confusionMatrix().counts(), labels, out.resolve("confusion-matrix.png"),
                    "Track-level confusion matrix");
        }
        return new Result(track, window, ece, threshold, failed, keys, tr, p);
    }
}
