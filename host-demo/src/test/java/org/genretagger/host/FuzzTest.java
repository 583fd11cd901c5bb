package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import org.genretagger.api.TrackResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginManager;

/**
 * One retag run over a library of valid files and 120 corrupted ones (truncated at random points,
 * random bytes flipped, one format's header on another's data, random blocks overwritten; seeded):
 * the run ends, every file gets exactly one result, a failure says in one line which file and
 * why, a corrupted file that was tagged still decodes to the very same samples, a file that was
 * not tagged is byte for byte as before, no temporary file is left, and the valid files are tagged.
 * Among them a named pipe that nobody writes to (opening one blocks for ever): it must be turned
 * down, not waited for. (A call that does hang is the watchdog's: see WatchdogTest.)
 *
 * <p>Nothing here depends on the machine's speed: the run's time limits are set far above what
 * any of these files takes (they are there for a file that would hang, which this corpus has
 * none of), and the test's own decodes have no limit at all.
 */
class FuzzTest {
    private static final int VARIANTS = 120;
    private static final long SEED = Long.getLong("fuzz.seed", 4242L);

    private static PluginManager pm;

    @BeforeAll
    static void load() {
        // Limits below the defaults (600 and 660 s), should a file ever hang a decoder or a tag parser;
        // but far above what any file here takes however busy the machine (10 s could be reached by
        // a valid file on a loaded machine, which would then fail instead of being tagged).
        System.setProperty("genretagger.trackTimeoutSeconds", "300");
        System.setProperty("genretagger.trackWatchdogSeconds", "360");
        pm = TestLibrary.loadPlugins();
    }

    @AfterAll
    static void unload() {
        pm.stopPlugins();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // only a guard against a hang: the run takes seconds
    void corruptedFilesEachGetOneClearResultAndTheValidOnesAreTagged(@TempDir Path dir) throws Exception {
        Path lib = dir.toRealPath().resolve("library");
        List<Path> valid = TestLibrary.copyFormats(lib.resolve("valid"));
        Path bad = Files.createDirectories(lib.resolve("bad"));
        List<String> names = TestLibrary.FORMATS;
        List<byte[]> sources = new ArrayList<>();
        for (String f : names) {
            sources.add(Files.readAllBytes(TestLibrary.fixtures().resolve(f)));
        }
        Random rnd = new Random(SEED);
        for (int i = 0; i < VARIANTS; i++) {
            int s = rnd.nextInt(names.size());
            byte[] src = sources.get(s);
            String kind;
            byte[] b;
            String claimed = names.get(s);
            switch (i % 4) {
                case 0 -> {
                    kind = "truncated";
                    int cut = rnd.nextBoolean() ? rnd.nextInt(Math.min(8192, src.length)) : rnd.nextInt(src.length);
                    b = Arrays.copyOf(src, cut);
                }
                case 1 -> {
                    kind = "flipped";
                    b = src.clone();
                    int k = 1 + rnd.nextInt(40);
                    for (int j = 0; j < k; j++) {
                        int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(4096, b.length)) : rnd.nextInt(b.length);
                        b[at] ^= (byte) (1 + rnd.nextInt(255));
                    }
                }
                case 2 -> {
                    kind = "glued";
                    int other = (s + 1 + rnd.nextInt(names.size() - 1)) % names.size();
                    byte[] data = sources.get(other);
                    int n = 16 + rnd.nextInt(4096);
                    b = new byte[Math.max(n, data.length)];
                    System.arraycopy(src, 0, b, 0, Math.min(n, src.length));
                    if (data.length > n) {
                        System.arraycopy(data, n, b, n, data.length - n);
                    }
                    // Sometimes named for the data's format, sometimes for the header's.
                    claimed = rnd.nextBoolean() ? names.get(s) : names.get(other);
                }
                default -> {
                    kind = "overwritten";
                    b = src.clone();
                    int blocks = 1 + rnd.nextInt(4);
                    for (int j = 0; j < blocks; j++) {
                        int len = 16 + rnd.nextInt(2048);
                        int at = rnd.nextInt(Math.max(1, b.length - len));
                        byte[] noise = new byte[Math.min(len, b.length - at)];
                        rnd.nextBytes(noise);
                        System.arraycopy(noise, 0, b, at, noise.length);
                    }
                    if (rnd.nextInt(3) == 0) {
                        b = Arrays.copyOf(b, b.length / 2 + rnd.nextInt(b.length / 2));
                    }
                }
            }
            Files.write(bad.resolve(String.format(Locale.ROOT, "%03d-%s-%s", i, kind, claimed)), b);
        }
        List<Path> all = TestLibrary.listFiles(lib);
        assertEquals(valid.size() + VARIANTS, all.size());
        Path stuck = bad.resolve("stuck.au");
        boolean fifo = new ProcessBuilder("mkfifo", stuck.toString()).start().waitFor() == 0;

        Map<Path, byte[]> bytes = new HashMap<>();
        for (Path f : all) {
            bytes.put(f, Files.readAllBytes(f));
        }
        // The files as they were, for decoding the tagged ones' originals after the run.
        Path originals = Files.createDirectories(dir.resolve("originals"));

        AtomicInteger started = new AtomicInteger(-1);
        AtomicInteger finished = new AtomicInteger();
        long t0 = System.nanoTime();
        RetagReport report = pm.getExtensions(LibraryTagger.class).get(0).retag(RetagRequest.builder(lib).policy(TagPolicy.REPLACE)
                .minConfidence(0.0).journal(dir.resolve("journal.jsonl")).build(), new RetagListener() {
                    @Override
                    public void started(int totalTracks) {
                        started.set(totalTracks);
                    }

                    @Override
                    public void trackFinished(TrackResult result) {
                        finished.incrementAndGet();
                    }
                });
        double seconds = (System.nanoTime() - t0) / 1e9;

        int tracks = all.size() + (fifo ? 1 : 0);
        assertEquals(tracks, started.get());
        assertEquals(tracks, finished.get());
        assertEquals(tracks, report.results().size());
        Map<Path, TrackResult> byFile = new HashMap<>();
        for (TrackResult r : report.results()) {
            assertEquals(null, byFile.put(r.file(), r), "one result per file: " + r.file());
        }
        if (fifo) {
            TrackResult r = byFile.get(stuck);
            assertEquals(Outcome.FAILED, r.outcome(), r.toString());
            assertTrue(r.message().startsWith("stuck.au: "), r.message());
            Files.delete(stuck);
        }
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        int taggedBad = 0;
        for (Path f : all) {
            TrackResult r = byFile.get(f);
            assertNotNull(r, "no result for " + f);
            counts.merge(r.outcome(), 1, Integer::sum);
            String name = f.getFileName().toString();
            switch (r.outcome()) {
                case TAGGED -> {
                    Path original = Files.write(Files.createDirectories(originals.resolve(lib.relativize(f.getParent()).toString()))
                            .resolve(name), bytes.get(f));
                    float[] s = decodeOrFail(original, name + " was tagged, so as it was it must decode");
                    assertArrayEquals(s, decodeOrFail(f, name + " was tagged, so it must decode"), 0f,
                            name + " decodes to the same samples after tagging");
                    assertEquals(r.genreAfter(), TestLibrary.readGenres(f), name);
                    taggedBad += f.startsWith(bad) ? 1 : 0;
                }
                case FAILED, UNSUPPORTED -> {
                    assertFalse(r.message().isBlank(), name);
                    assertFalse(r.message().contains("\n") || r.message().contains("\r"), "one line: " + r.message());
                    if (r.outcome() == Outcome.FAILED) {
                        assertTrue(r.message().contains(name), "the message names the file: " + r.message());
                    }
                    assertArrayEquals(bytes.get(f), Files.readAllBytes(f), name + " was not tagged, so it is untouched");
                }
                default -> throw new AssertionError("unexpected outcome " + r);
            }
        }
        for (Path f : valid) {
            assertEquals(f.toString().endsWith(".au") ? Outcome.UNSUPPORTED : Outcome.TAGGED, byFile.get(f).outcome(),
                    byFile.get(f).toString());
        }
        for (Path p : TestLibrary.listFiles(lib)) {
            assertFalse(TestLibrary.isTempName(p.getFileName().toString()), "left behind: " + p);
        }
        assertEquals(all.size(), TestLibrary.listFiles(lib).size());
        System.out.printf(Locale.ROOT, "FuzzTest: %d files (%d corrupted, seed %d%s) in %.1f s: %s; %d corrupted files tagged%n",
                tracks, VARIANTS, SEED, fifo ? ", and a named pipe" : "", seconds, counts, taggedBad);
        report.results().stream().filter(r -> r.outcome() == Outcome.FAILED).limit(12)
                .forEach(r -> System.out.println("  " + r.message()));
    }

    /** The plugin's decode of a file (however long it takes); a failure fails the test, saying why. */
    private static float[] decodeOrFail(Path f, String what) {
        try {
            return TestLibrary.decode(pm, f);
        } catch (Exception e) {
            return org.junit.jupiter.api.Assertions.fail(what + ": " + e, e);
        }
    }
}
