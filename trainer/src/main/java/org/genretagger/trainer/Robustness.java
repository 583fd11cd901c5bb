package org.genretagger.trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genretagger.api.Analysis;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.trainer.augment.ChannelAugmenter;
import org.genretagger.trainer.corpus.AudioEncoder;
import org.genretagger.trainer.data.Clip;

/**
 * Accuracy on degraded copies of labelled clips: how a model copes with how music reaches people.
 * Each condition is made once from the clip decoded at its own 22 050 Hz (GTZAN's rate) and kept in
 * a work folder, so models can be compared on the very same files.
 */
public final class Robustness {
    /** The conditions, in table order. */
    static final List<String> CONDITIONS = List.of("clean", "mp3-64k", "aac-96k", "lowpass-8k", "resample-16k", "gain-minus-20dB");
    private static final int RATE = 22050;

    private Robustness() {}

    /**
     * @param model the model
     * @param clips labelled clips
     * @param analysis windows per track
     * @param work where degraded copies are kept
     * @param log progress
     * @return a Markdown table of track accuracy per condition
     * @throws IOException if a copy cannot be made
     */
    public static String table(GenreModel model, List<Clip> clips, Analysis analysis, Path work, PrintStream log) throws IOException {
        StringBuilder t = new StringBuilder("| condition | track accuracy | clips |\n| --- | --- | --- |\n");
        for (String condition : CONDITIONS) {
            List<Clip> copies = new ArrayList<>();
            for (Clip c : clips) {
                copies.add(new Clip(degrade(c, condition, work), c.label(), c.key()));
            }
            Evaluation.Result r = Evaluation.run(model, copies, analysis, null, new PrintStream(PrintStream.nullOutputStream()));
            t.append(String.format("| %s | %.3f | %d |%n", condition, r.track().accuracy(), r.track().support()));
            log.printf("%-16s %.3f (%d clips)%n", condition, r.track().accuracy(), r.track().support());
        }
        return t.toString();
    }

    private static Path degrade(Clip c, String condition, Path work) throws IOException {
        if (condition.equals("clean")) {
            return c.file();
        }
        Path dir = work.resolve(condition);
        Files.createDirectories(dir);
        String stem = c.key().replace('/', '_');
        AudioEncoder.Format format = condition.startsWith("mp3") ? AudioEncoder.Format.MP3
                : condition.startsWith("aac") ? AudioEncoder.Format.M4A : AudioEncoder.Format.FLAC;
        Path file = dir.resolve(stem + "." + format.extension());
        if (Files.isRegularFile(file)) {
            return file;
        }
        int rate = condition.equals("resample-16k") ? 16000 : RATE;
        float[] y = AudioDecoder.decodeAll(c.file(), rate);
        long bitRate = 0;
        switch (condition) {
            case "mp3-64k" -> bitRate = 64_000;
            case "aac-96k" -> bitRate = 96_000;
            case "lowpass-8k" -> ChannelAugmenter.shape(y, rate, 8000, 0);
            case "gain-minus-20dB" -> {
                for (int i = 0; i < y.length; i++) {
                    y[i] *= 0.1f;
                }
            }
            default -> { }
        }
        Path tmp = dir.resolve(".tmp-" + file.getFileName());
        try (AudioEncoder enc = new AudioEncoder(tmp, format, rate, bitRate)) {
            enc.write(y, y, y.length);
            enc.finish();
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }
}
