package org.genretagger.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {

    private static Path gtzanLike(Path dir) throws Exception {
        for (String g : List.of("blues", "jazz", "rock")) {
            Path genre = Files.createDirectories(dir.resolve("genres").resolve(g));
            for (int i = 0; i < 5; i++) {
                Files.write(genre.resolve(String.format("%s.%05d.ogg", g, i)), new byte[] {1});
            }
        }
        Files.writeString(dir.resolve("genres/blues/README.txt"), "not audio");
        return dir;
    }

    @Test
    void listsMatchClipsByGenreAndStemWhateverTheExtension(@TempDir Path dir) throws Exception {
        Dataset d = Dataset.scan(gtzanLike(dir));
        assertEquals(List.of("blues", "jazz", "rock"), d.labels());
        assertEquals(15, d.clips().size());
        Path list = Files.writeString(dir.resolve("train.txt"),
                "# published list for the original .wav files\nblues/blues.00001.wav\n\njazz/jazz.00003.au\nrock\\rock.00004.wav\nblues/blues.00099.wav\n");
        List<Clip> clips = d.select(list, true);
        assertEquals(List.of("blues/blues.00001", "jazz/jazz.00003", "rock/rock.00004"), clips.stream().map(Clip::key).toList());
        assertTrue(clips.get(0).file().toString().endsWith("blues.00001.ogg"));
        assertThrows(java.io.IOException.class, () -> d.select(list, false), "a missing clip is an error when not allowed");
    }

    @Test
    void aTrackInBothSplitsIsRefused(@TempDir Path dir) throws Exception {
        Dataset d = Dataset.scan(gtzanLike(dir));
        Path train = Files.writeString(dir.resolve("train.txt"), "blues/blues.00001.wav\njazz/jazz.00002.wav\n");
        Path valid = Files.writeString(dir.resolve("valid.txt"), "jazz/jazz.00002.au\n");
        assertThrows(IllegalArgumentException.class, () -> Dataset.Split.of(d.select(train, false), d.select(valid, false)));
    }

    @Test
    void randomSplitIsStratifiedSeededAndDisjoint(@TempDir Path dir) throws Exception {
        Dataset d = Dataset.scan(gtzanLike(dir));
        Dataset.Split a = d.randomSplit(0.2, 7);
        Dataset.Split b = d.randomSplit(0.2, 7);
        assertEquals(a, b);
        assertEquals(3, a.valid().size(), "one of five clips per genre");
        Set<String> keys = new HashSet<>();
        a.train().forEach(c -> keys.add(c.key()));
        a.valid().forEach(c -> assertTrue(keys.add(c.key()), "no clip in both"));
        assertEquals(15, keys.size());
        assertEquals(Set.of("blues", "jazz", "rock"), new HashSet<>(a.valid().stream().map(Clip::label).toList()));
    }
}
