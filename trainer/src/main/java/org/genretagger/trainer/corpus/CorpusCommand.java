package org.genretagger.trainer.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a benchmark corpus of synthetic music-like tracks. Files that already exist are kept, so
 * a corpus is built once and grown or reused by later runs; a file appears under its final name
 * only when it is complete.
 */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Write N synthetic music-like tracks (chords, bass, drums, noise) for benchmarks. "
                + "Existing complete files are kept.")
public final class CorpusCommand implements Callable<Integer> {
    /** The file describing a corpus folder: tracks, minutes, formats, sample rate, seed. */
    public static final String MANIFEST = "corpus.properties";

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write into")
    Path out;

    @Option(names = "--tracks", defaultValue = "20", paramLabel = "N", description = "how many tracks (default ${DEFAULT-VALUE})")
    int tracks;

    @Option(names = "--minutes", defaultValue = "4", paramLabel = "M", description = "length of each track in minutes, fractions allowed (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--formats", defaultValue = "mp3", split = ",", paramLabel = "mp3|flac|m4a|alac",
            description = "formats, cycled over the tracks (default ${DEFAULT-VALUE})")
    List<String> formats;

    @Option(names = "--sample-rate", defaultValue = "44100", paramLabel = "HZ", description = "(default ${DEFAULT-VALUE})")
    int sampleRate;

    @Option(names = "--seed", defaultValue = "1", description = "varies the music (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--prefix", defaultValue = "track", description = "file name prefix (default ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "encoder threads (default: one per core)")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (tracks < 1 || !(minutes > 0)) {
            throw new IllegalArgumentException("--tracks and --minutes must be positive");
        }
        List<AudioEncoder.Format> fs = formats.stream().map(AudioEncoder.Format::parse).toList();
        Files.createDirectories(out);
        List<Spec> todo = new ArrayList<>();
        int existing = 0;
        for (int i = 0; i < tracks; i++) {
            Spec s = spec(i, fs);
            if (Files.isRegularFile(s.file)) {
                existing++;
            } else {
                todo.add(s);
            }
        }
        long t0 = System.nanoTime();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Path>> done = new ArrayList<>();
            for (Spec s : todo) {
                done.add(pool.submit(() -> write(s)));
            }
            for (Future<Path> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // What the files are, for a benchmark that reuses the folder (it cannot decode them itself).
        Files.writeString(out.resolve(MANIFEST), String.format(Locale.ROOT,
                "tracks=%d%nminutes=%s%nformats=%s%nsampleRate=%d%nseed=%d%n", tracks, minutes, String.join(",", formats), sampleRate, seed));
        System.out.printf(Locale.ROOT, "corpus %s: %d tracks of %.2f min (%s), %d written in %.1f s, %d already there%n",
                out, tracks, minutes, String.join(",", formats), todo.size(), (System.nanoTime() - t0) / 1e9, existing);
        return 0;
    }

    private Spec spec(int i, List<AudioEncoder.Format> fs) {
        AudioEncoder.Format f = fs.get(i % fs.size());
        String tag = f == AudioEncoder.Format.ALAC ? "-alac" : "";
        return new Spec(out.resolve(String.format(Locale.ROOT, "%s-%05d%s.%s", prefix, i, tag, f.extension())), f, seed * 1_000_003L + i);
    }

    private Path write(Spec s) throws IOException {
        String name = s.file.getFileName().toString();
        // Same extension, so the muxer is right; hidden and marked, so a reader never takes it for a track.
        Path partial = s.file.resolveSibling(".partial-" + name);
        try {
            AudioEncoder.writeSynthetic(partial, s.format, minutes * 60, s.seed, sampleRate);
            Files.move(partial, s.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return s.file;
    }

    private record Spec(Path file, AudioEncoder.Format format, long seed) {}
}
