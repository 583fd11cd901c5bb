package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.ModelInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginManager;

/**
 * Speech, silence, noise and test tones must not get a genre written by a default run of the
 * shipped model: each is heard as not music (the model's not-music class on top). The files are made here (speech with Debian's espeak-ng, in voices and words the
 * trainer's generated not-music clips do not use); without espeak-ng the speech file is left out
 * and said so.
 */
class NotMusicTest {
    private static final int SR = 22050;

    @Test
    void speechSilenceNoiseAndTonesGetNoGenre(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("lib");
        Files.createDirectories(lib);
        Random rng = new Random(5);
        List<String> made = new ArrayList<>();
        if (speak(lib.resolve("speech.wav"), "en-us+m3", "Good evening. Here are the local announcements for the week. "
                + "The library is closed on Monday, the swimming pool opens at seven, and the market moves to the old square.")) {
            made.add("speech.wav");
        } else {
            System.out.println("NotMusicTest: espeak-ng not installed (apt-get install espeak-ng): speech case skipped");
        }
        write(lib.resolve("silence.wav"), new float[SR * 10]);
        float[] noise = new float[SR * 10];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (0.3 * rng.nextGaussian());
        }
        write(lib.resolve("white-noise.wav"), noise);
        float[] tone = new float[SR * 10];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000.0 * i / SR));
        }
        write(lib.resolve("tone-1khz.wav"), tone);
        float[] sweep = new float[SR * 10];
        double phase = 0;
        for (int i = 0; i < sweep.length; i++) {
            phase += 2 * Math.PI * (50 * Math.pow(200, (double) i / sweep.length)) / SR;
            sweep[i] = (float) (0.5 * Math.sin(phase));
        }
        write(lib.resolve("sweep.wav"), sweep);
        made.addAll(List.of("silence.wav", "white-noise.wav", "tone-1khz.wav", "sweep.wav"));

        Path report = dir.resolve("report.json");
        TestLibrary.CliRun run = TestLibrary.runCli("retag", lib.toString(), "--policy", "replace", "--report", report.toString(),
                "--journal", dir.resolve("journal.jsonl").toString());
        assertEquals(0, run.exit(), run.out());
        JsonObject json = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        // Not a genre the model was unsure of: its not-music class won.
        PluginManager pm = TestLibrary.loadPlugins();
        ModelInfo info;
        try {
            info = pm.getExtensions(GenreClassifier.class).get(0).modelInfo();
        } finally {
            pm.stopPlugins();
        }
        assertNotNull(info.notMusicLabel(), "the shipped model has a not-music class");
        String notMusic = info.genres().get(info.labels().indexOf(info.notMusicLabel()));
        int seen = 0;
        for (JsonElement e : json.getAsJsonArray("tracks")) {
            JsonObject t = e.getAsJsonObject();
            String name = Path.of(t.get("path").getAsString()).getFileName().toString();
            assertEquals("low_confidence", t.get("outcome").getAsString(), name + ": " + t);
            assertEquals(notMusic, t.getAsJsonArray("top").get(0).getAsJsonObject().get("genre").getAsString(),
                    name + ": the top label is the model's not-music label " + info.notMusicLabel() + ": " + t);
            assertTrue(t.get("message").getAsString().contains("not music"), name + ": " + t);
            seen++;
        }
        assertEquals(made.size(), seen);
        for (String f : made) {
            assertTrue(TestLibrary.readGenres(lib.resolve(f)).isEmpty(), f + " got a genre");
        }
    }

    private static boolean speak(Path wav, String voice, String text) {
        try {
            Process p = new ProcessBuilder("espeak-ng", "-v", voice, "-s", "165", "-w", wav.toString(), text)
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 && Files.size(wav) > 1000; // its output has ended: it is ending, however slowly
        } catch (Exception e) {
            return false;
        }
    }

    private static void write(Path file, float[] samples) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : samples) {
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(s * 32767))));
        }
        AudioFormat f = new AudioFormat(SR, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b.array()), f, samples.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }
}
