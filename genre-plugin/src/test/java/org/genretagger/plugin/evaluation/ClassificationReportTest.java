package org.genretagger.plugin.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {

    private static final double TOL = 1e-9;
    private static final List<String> LABELS = List.of("blues", "classical", "country");

    // truth: blues x6, classical x3, country x1
    private static final int[] TRUTH = {0, 0, 0, 0, 0, 0, 1, 1, 1, 2};
    private static final int[] PRED = {0, 0, 0, 0, 1, 2, 1, 1, 2, 0};
    /*
     * Confusion matrix [true][pred]:
     *              blues classical country | support
     *   blues        4       1        1    |   6
     *   classical    0       2        1    |   3
     *   country      1       0        0    |   1
     *   predicted    5       3        2
     *
     * blues:     TP=4 FP=1 FN=2  P=4/5=0.8   R=4/6=2/3  F1=2TP/(2TP+FP+FN)=8/11
     * classical: TP=2 FP=1 FN=1  P=2/3       R=2/3      F1=2/3
     * country:   TP=0 FP=2 FN=1  P=0         R=0        F1=0 (P+R=0 -> 0)
     * accuracy = 6/10 = 0.6
     * macro P  = (0.8 + 2/3 + 0)/3 = 22/45
     * macro R  = (2/3 + 2/3 + 0)/3 = 4/9
     * macro F1 = (8/11 + 2/3 + 0)/3 = 46/99
     * weighted P  = (6*0.8 + 3*2/3 + 1*0)/10 = 6.8/10 = 0.68
     * weighted R  = (6*2/3 + 3*2/3 + 0)/10 = 0.6 (always equals accuracy)
     * weighted F1 = (6*8/11 + 3*2/3 + 0)/10 = (70/11)/10 = 7/11
     */

    @Test
    void confusionMatrixCountsTruthByPrediction() {
        ConfusionMatrix cm = new ConfusionMatrix(TRUTH, PRED, 3);
        assertArrayEquals(new int[][] {{4, 1, 1}, {0, 2, 1}, {1, 0, 0}}, cm.counts());
        assertEquals(6, cm.support(0));
        assertEquals(2, cm.predictedCount(2));
        assertEquals(10, cm.total());
        assertEquals(6, cm.correct());
        assertEquals(0.6, cm.accuracy(), TOL);
        assertEquals(cm, ConfusionMatrix.ofCounts(cm.counts()));
    }

    @Test
    void confusionMatrixRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(new int[] {0}, new int[] {0, 1}, 2));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(new int[] {2}, new int[] {0}, 2));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.ofCounts(new int[][] {{1, 2}}));
    }

    @Test
    void handComputedThreeClassFigures() {
        ClassificationReport r = ClassificationReport.of(TRUTH, PRED, LABELS);

        ClassificationReport.ClassMetrics blues = r.forLabel("blues");
        assertEquals(0.8, blues.precision(), TOL);
        assertEquals(2.0 / 3, blues.recall(), TOL);
        assertEquals(8.0 / 11, blues.f1(), TOL);
        assertEquals(6, blues.support());

        ClassificationReport.ClassMetrics classical = r.forLabel("classical");
        assertEquals(2.0 / 3, classical.precision(), TOL);
        assertEquals(2.0 / 3, classical.recall(), TOL);
        assertEquals(2.0 / 3, classical.f1(), TOL);
        assertEquals(3, classical.support());

        ClassificationReport.ClassMetrics country = r.forLabel("country");
        assertEquals(0.0, country.precision(), TOL);
        assertEquals(0.0, country.recall(), TOL);
        assertEquals(0.0, country.f1(), TOL);
        assertEquals(1, country.support());

        assertEquals(0.6, r.accuracy(), TOL);
        assertEquals(22.0 / 45, r.macroAvg().precision(), TOL);
        assertEquals(4.0 / 9, r.macroAvg().recall(), TOL);
        assertEquals(46.0 / 99, r.macroAvg().f1(), TOL);
        assertEquals(10, r.macroAvg().support());
        assertEquals(0.68, r.weightedAvg().precision(), TOL);
        assertEquals(0.6, r.weightedAvg().recall(), TOL);
        assertEquals(7.0 / 11, r.weightedAvg().f1(), TOL);
        assertEquals(10, r.weightedAvg().support());
    }

    @Test
    void zeroDivisionGivesZeroForAClassNeverSeenNorPredicted() {
        // class 2 appears nowhere: all its figures are 0 and it still counts in the macro average
        ClassificationReport r = ClassificationReport.of(new int[] {0, 1}, new int[] {0, 1}, List.of("a", "b", "c"));
        assertEquals(0.0, r.forLabel("c").precision());
        assertEquals(0.0, r.forLabel("c").f1());
        assertEquals(2.0 / 3, r.macroAvg().f1(), TOL);
        assertEquals(1.0, r.weightedAvg().f1(), TOL);
    }

    @Test
    void formatMatchesScikitLearnDocumentationExample() {
        // the example in sklearn.metrics.classification_report's documentation
        ClassificationReport r = ClassificationReport.of(new int[] {0, 1, 2, 2, 2}, new int[] {0, 0, 2, 2, 1},
                List.of("class 0", "class 1", "class 2"));
        String expected = ""
                + "              precision    recall  f1-score   support\n"
                + "\n"
                + "     class 0       0.50      1.00      0.67         1\n"
                + "     class 1       0.00      0.00      0.00         1\n"
                + "     class 2       1.00      0.67      0.80         3\n"
                + "\n"
                + "    accuracy                           0.60         5\n"
                + "   macro avg       0.50      0.56      0.49         5\n"
                + "weighted avg       0.70      0.60      0.61         5\n";
        assertEquals(expected, r.format());
    }

    @Test
    void formatHasOneRowPerClassAndTheSummaryRows() {
        String text = ClassificationReport.of(TRUTH, PRED, LABELS).format();
        List<String> lines = text.lines().toList();
        assertEquals(9, lines.size(), text);
        assertTrue(lines.get(0).matches("\\s+precision\\s+recall\\s+f1-score\\s+support"), lines.get(0));
        assertEquals("       blues       0.80      0.67      0.73         6", lines.get(2));
        assertEquals("     country       0.00      0.00      0.00         1", lines.get(4));
        assertEquals("    accuracy                           0.60        10", lines.get(6));
        assertEquals("   macro avg       0.49      0.44      0.46        10", lines.get(7));
        assertEquals("weighted avg       0.68      0.60      0.64        10", lines.get(8));
    }

    @Test
    void longLabelsWidenTheNameColumnAndDigitsAreHonoured() {
        String text = ClassificationReport.of(new int[] {0, 1}, new int[] {0, 1},
                List.of("progressive-metal-core", "x")).format(3);
        assertTrue(text.contains("\nprogressive-metal-core      1.000     1.000     1.000         1\n"), text);
        assertTrue(text.contains("\n          weighted avg      1.000"), text);
    }

    @Test
    void roundsLikePythonHalfEvenOnTheBinaryValue() {
        assertEquals("0.12", ClassificationReport.fixed(0.125, 2)); // exact tie -> even
        assertEquals("0.38", ClassificationReport.fixed(0.375, 2));
        assertEquals("0.67", ClassificationReport.fixed(2.0 / 3, 2));
    }

    @Test
    void summarySerialisesWithPerGenreFigures() {
        ClassificationReport r = ClassificationReport.of(TRUTH, PRED, LABELS);
        String json = new Gson().toJson(r.toSummary());
        JsonObject o = new Gson().fromJson(json, JsonObject.class);
        assertEquals(0.8, o.getAsJsonObject("perClass").getAsJsonObject("blues").get("precision").getAsDouble(), TOL);
        assertEquals(3, o.getAsJsonObject("perClass").getAsJsonObject("classical").get("support").getAsInt());
        assertEquals(0.6, o.get("accuracy").getAsDouble(), TOL);
        assertEquals(7.0 / 11, o.getAsJsonObject("weightedAvg").get("f1").getAsDouble(), TOL);
        assertEquals(4, o.getAsJsonArray("confusion").get(0).getAsJsonArray().get(0).getAsInt());
        assertEquals("country", o.getAsJsonArray("labels").get(2).getAsString());
    }

    @Test
    void rejectsWrongLabelCount() {
        assertThrows(IllegalArgumentException.class,
                () -> new ClassificationReport(new ConfusionMatrix(TRUTH, PRED, 3), List.of("a", "b")));
    }
}
