package org.genretagger.trainer.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.audio.DecodedStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CorpusCommandTest {

    @Test
    void writesTracksOfTheAskedLengthAndFormatThatAreMusicNotSilence(@TempDir Path dir) throws Exception {
        int rc = new CommandLine(new CorpusCommand()).execute("--out", dir.toString(), "--tracks", "4", "--minutes", "0.1",
                "--formats", "mp3,flac,m4a,alac", "--prefix", "t");
        assertEquals(0, rc);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> !p.getFileName().toString().endsWith(".properties")).sorted().toList();
        }
        assertEquals(List.of("t-00000.mp3", "t-00001.flac", "t-00002.m4a", "t-00003-alac.m4a"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        String[] codecs = {"mp3", "flac", "aac", "alac"};
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            try (DecodedStream in = AudioDecoder.open(f, 44100)) {
                assertEquals(codecs[i], in.codecName(), f.toString());
                assertEquals(44100, in.sourceSampleRate(), f.toString());
                assertEquals(2, in.sourceChannels(), f.toString());
            }
            float[] y = AudioDecoder.decodeAll(f, 44100);
            // 6 s, give or take the encoders' priming and a padded last frame.
            assertEquals(6.0, y.length / 44100.0, 0.08, f + " duration");
            double sum = 0;
            double peak = 0;
            for (float v : y) {
                sum += v * v;
                peak = Math.max(peak, Math.abs(v));
            }
            double rms = Math.sqrt(sum / y.length);
            assertTrue(rms > 0.03 && peak < 1.0, f + ": rms " + rms + ", peak " + peak);
        }
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(dir.resolve(CorpusCommand.MANIFEST))) {
            p.load(r);
        }
        assertEquals("4", p.getProperty("tracks"));
        assertEquals("0.1", p.getProperty("minutes"));
    }

    @Test
    void keepsTracksThatExistAndAddsMissingOnes(@TempDir Path dir) throws Exception {
        new CommandLine(new CorpusCommand()).execute("--out", dir.toString(), "--tracks", "1", "--minutes", "0.05");
        Path first = dir.resolve("track-00000.mp3");
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first, old);
        new CommandLine(new CorpusCommand()).execute("--out", dir.toString(), "--tracks", "2", "--minutes", "0.05");
        assertEquals(old, Files.getLastModifiedTime(first), "an existing track is not rewritten");
        assertTrue(Files.isRegularFile(dir.resolve("track-00001.mp3")));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().startsWith(".partial")), "no partial files left");
        }
    }

    @Test
    void differentSeedsMakeDifferentMusic() {
        float[][] a = {new float[4096], new float[4096]};
        float[][] b = {new float[4096], new float[4096]};
        new SyntheticMusic(1, 44100).next(a[0], a[1], 4096);
        new SyntheticMusic(2, 44100).next(b[0], b[1], 4096);
        assertNotEquals(java.util.Arrays.hashCode(a[0]), java.util.Arrays.hashCode(b[0]));
        float[][] c = {new float[4096], new float[4096]};
        new SyntheticMusic(1, 44100).next(c[0], c[1], 4096);
        assertEquals(java.util.Arrays.hashCode(a[0]), java.util.Arrays.hashCode(c[0]), "deterministic for a seed");
    }
}
