package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.genretagger.api.Id3Version;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagReport;
import org.genretagger.api.TrackResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginManager;

/**
 * {@code kill -9} at many points of {@code retag --policy replace}, run by host-demo in a child
 * JVM over a library of every format: after every kill each track is byte for byte either as it
 * was or as a complete run writes it (both verified once to decode to the same samples and to
 * carry the old or the new genre), and the only other files are our temporary files; the next
 * run (resumed, or simply run again) removes and reports those and finishes the job; the journal
 * of a chain of killed runs still undoes every change.
 *
 * <p>The points are drawn from a seed: start-up (plugin loaded, library not yet scanned), or a
 * step of the N-th write of the run: before it starts, with only its tagged copy on disk, with
 * its change journalled but not made, with the file replaced but not yet marked done. The child
 * ({@link KillPoint}) stops at the point and says so, and is killed there: where a kill lands
 * depends on the seed alone, never on how fast the machine is (a kill after a delay measured in
 * seconds did). The child runs one track at a time, so that nothing else moves while it waits.
 */
class KillNineTest {
    private static final int KILLS = 20;
    private static final int MAX_KILLS_PER_CHAIN = 5;
    private static final long SEED = Long.getLong("killnine.seed", 20261121L);

    private static PluginManager pm;

    @BeforeAll
    static void load() {
        pm = TestLibrary.loadPlugins();
    }

    @AfterAll
    static void unload() {
        pm.stopPlugins();
    }

    /** What a child run printed and how it ended. */
    private record Child(boolean killed, int exit, List<String> lines) {}

    /** Where kills land: start-up, and the steps of a write (see KillPoint); each once a chain, in an order drawn from the seed. */
    private static final List<String> POINTS = List.of("loaded", "start", "copy", "journalled", "replaced");

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // only a guard against a hang: about 25 short child runs
    void killNineAtAnyMomentLeavesEveryFileOldOrNewAndTheNextRunFinishes(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        // A library of two dozen tracks, every format twice, in two folders: a/ without a genre,
        // b/ with "Folk" already (MP3 as ID3v2.3), so that old and new differ everywhere.
        Path pristine = dir.resolve("pristine");
        TestLibrary.copyFormats(pristine.resolve("a"));
        for (Path f : TestLibrary.copyFormats(pristine.resolve("b"))) {
            if (!f.toString().endsWith(".au")) {
                TestLibrary.writeGenres(pm, f, List.of("Folk"), Id3Version.V2_3);
            }
        }
        List<String> tracks = relativeFiles(pristine);
        Map<String, byte[]> oldBytes = new LinkedHashMap<>();
        Map<String, List<String>> oldGenres = new LinkedHashMap<>();
        Map<String, float[]> samples = new LinkedHashMap<>();
        for (String t : tracks) {
            Path f = pristine.resolve(t);
            oldBytes.put(t, Files.readAllBytes(f));
            oldGenres.put(t, t.endsWith(".au") ? List.of() : TestLibrary.readGenres(f));
            samples.put(t, TestLibrary.decode(pm, f));
        }

        // A complete run, with the journal at its default place: the user's data folder.
        Path xdg = dir.resolve("xdg-data");
        Path base = dir.resolve("base");
        TestLibrary.copyTree(pristine, base);
        Child full = runChild(dir, base, null, false, "none", 0);
        assertEquals(HostCli.OK, full.exit(), String.join("\n", full.lines()));
        String last = full.lines().get(full.lines().size() - 1);
        assertTrue(last.startsWith("journal: " + xdg.resolve("genre-tagger").resolve("journals").resolve("retag-")), last);
        assertEquals(tracks, relativeFiles(base), "nothing but the tracks in the music folder (no journal, no temporary file)");
        Map<String, byte[]> newBytes = new LinkedHashMap<>();
        Map<String, List<String>> newGenres = new LinkedHashMap<>();
        for (String t : tracks) {
            Path f = base.resolve(t);
            newBytes.put(t, Files.readAllBytes(f));
            assertArrayEquals(samples.get(t), TestLibrary.decode(pm, f), 0f, "a complete run kept the audio of " + t);
            if (t.endsWith(".au")) {
                assertArrayEquals(oldBytes.get(t), newBytes.get(t), t + " cannot be tagged and is left alone");
                newGenres.put(t, List.of());
            } else {
                newGenres.put(t, TestLibrary.readGenres(f));
                assertEquals(1, newGenres.get(t).size(), t + ": " + newGenres.get(t));
                assertNotEquals(oldGenres.get(t), newGenres.get(t), t);
            }
        }

        // Chains of killed runs over fresh copies: each continues the last (--resume on even
        // chains, a plain new run with the same journal on odd ones) until one finishes.
        Random random = new Random(SEED);
        int kills = 0;
        int chain = 0;
        int chainsFinished = 0;
        int tempsSeen = 0;
        int interruptedChanges = 0;
        Set<String> outcomesAfterKill = new HashSet<>();
        Path lib = null;
        Path journal = null;
        int runsInChain = 0;
        int tempsLeft = 0;
        int newNow = 0;
        List<String> points = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        while (kills < KILLS || lib != null) {
            if (lib == null) {
                chain++;
                lib = dir.resolve("lib" + chain);
                journal = dir.resolve("journal" + chain + ".jsonl");
                TestLibrary.copyTree(pristine, lib);
                runsInChain = 0;
                tempsLeft = 0;
                newNow = 0;
                points = new ArrayList<>(POINTS);
                java.util.Collections.shuffle(points, random);
            }
            boolean resume = runsInChain > 0 && chain % 2 == 0;
            // A chain ends after a few kills with a run left alone, so the kills spread over several
            // chains; once there were enough, no kill. Each kill of a chain lands at another point, at
            // a write drawn from those the run has left to make (one per track not yet new).
            String point;
            int n = 0;
            if (kills >= KILLS || runsInChain >= MAX_KILLS_PER_CHAIN) {
                point = "none";
            } else {
                point = points.get(runsInChain % points.size());
                int writesLeft = taggable(tracks) - newNow;
                if (writesLeft == 0) {
                    point = "loaded";
                } else {
                    n = 1 + random.nextInt(writesLeft);
                }
            }
            Child c = runChild(dir, lib, journal, resume, point, n);
            runsInChain++;
            log.append(String.format(java.util.Locale.ROOT, "chain %d run %d%s: %s%n", chain, runsInChain,
                    resume ? " (resume)" : "", c.killed() ? "killed at " + point + (point.equals("loaded") ? "" : " of write " + n)
                            : "finished"));
            if (!point.equals("none")) {
                assertTrue(c.killed(), "the run reached its kill point (" + point + " " + n + "): " + log
                        + String.join("\n", c.lines()));
            }
            if (c.killed()) {
                kills++;
                State s = check(lib, tracks, oldBytes, newBytes, oldGenres, newGenres, samples);
                tempsLeft = s.temps();
                newNow = s.newCount();
                tempsSeen += s.temps();
                outcomesAfterKill.add(s.newCount() == 0 ? "none new" : s.newCount() == taggable(tracks) ? "all new" : "some new");
                interruptedChanges += changesWithoutDone(journal);
                continue;
            }
            // A run that was not killed finishes the job.
            if (c.exit() != HostCli.OK) {
                keepForInspection(lib, journal, chain, log);
            }
            assertEquals(HostCli.OK, c.exit(), log + String.join("\n", c.lines()));
            if (tempsLeft > 0) {
                String out = String.join("\n", c.lines());
                assertTrue(out.contains("note: removed " + tempsLeft + " leftover temporary file"), tempsLeft + " temps\n" + out);
            }
            for (String t : tracks) {
                assertArrayEquals(newBytes.get(t), Files.readAllBytes(lib.resolve(t)), "chain " + chain + " finished, " + t + " as intended");
            }
            assertEquals(tracks, relativeFiles(lib), "no temporary file left after a finished run");
            if (runsInChain > 1 && chainsFinished < 3) {
                undoRestoresEverything(lib, journal, dir.resolve("undo" + chain + ".jsonl"), tracks, oldGenres, samples);
            }
            chainsFinished++;
            lib = null;
        }
        System.out.printf(java.util.Locale.ROOT, "KillNineTest: %d kills in %d chains (seed %d), %d leftover temporary files seen,"
                + " %d journalled changes without a done line, states after kills: %s; %.1f s in all%n%s",
                kills, chain, SEED, tempsSeen, interruptedChanges, outcomesAfterKill, (System.nanoTime() - t0) / 1e9, log);
        assertTrue(kills >= KILLS);
        assertTrue(chainsFinished >= 2, "several chains of killed runs were finished by a later run");
        assertTrue(outcomesAfterKill.contains("some new"), "some kills landed in the middle of the work: " + outcomesAfterKill);
        assertTrue(tempsSeen > 0, "kills with a tagged copy on disk left temporary files, which the next run removed");
        assertTrue(interruptedChanges > 0, "kills between journalling a change and finishing it left such changes behind");
    }

    /** After a chain of killed runs, undo with that journal brings every old genre back. */
    private void undoRestoresEverything(Path lib, Path journal, Path undoJournal, List<String> tracks,
            Map<String, List<String>> oldGenres, Map<String, float[]> samples) throws Exception {
        LibraryTagger tagger = pm.getExtensions(LibraryTagger.class).get(0);
        RetagReport undo = tagger.undo(journal, undoJournal, null);
        Map<Path, TrackResult> byFile = new LinkedHashMap<>();
        undo.results().forEach(r -> byFile.put(r.file(), r));
        for (String t : tracks) {
            if (t.endsWith(".au")) {
                continue;
            }
            Path f = lib.resolve(t).toRealPath();
            TrackResult r = byFile.get(f);
            assertTrue(r != null && r.outcome() == Outcome.RESTORED, t + ": " + r);
            assertEquals(oldGenres.get(t), TestLibrary.readGenres(f), t + " back to its old genre");
            assertArrayEquals(samples.get(t), TestLibrary.decode(pm, f), 0f, t);
        }
        assertEquals(tracks, relativeFiles(lib));
    }

    private record State(int newCount, int temps) {}

    /**
     * Every track is byte for byte old or new (or, should a write ever not be byte-reproducible,
     * decodes to the same samples and carries the old or the new genre); anything else in the
     * folder is one of our temporary files.
     */
    private static State check(Path lib, List<String> tracks, Map<String, byte[]> oldBytes, Map<String, byte[]> newBytes,
            Map<String, List<String>> oldGenres, Map<String, List<String>> newGenres, Map<String, float[]> samples)
            throws Exception {
        int news = 0;
        for (String t : tracks) {
            Path f = lib.resolve(t);
            assertTrue(Files.isRegularFile(f), t + " is still there");
            byte[] b = Files.readAllBytes(f);
            if (Arrays.equals(b, oldBytes.get(t))) {
                continue;
            }
            if (Arrays.equals(b, newBytes.get(t))) {
                news++;
                continue;
            }
            float[] s;
            try {
                s = TestLibrary.decode(pm, f);
            } catch (Exception e) {
                fail(t + " is neither old nor new and does not decode: " + e);
                return null;
            }
            assertArrayEquals(samples.get(t), s, 0f, t + " decodes to the same samples");
            List<String> g = TestLibrary.readGenres(f);
            assertTrue(g.equals(oldGenres.get(t)) || g.equals(newGenres.get(t)), t + " has " + g);
            news += g.equals(newGenres.get(t)) ? 1 : 0;
        }
        int temps = 0;
        Set<String> expected = new HashSet<>(tracks);
        for (String r : relativeFiles(lib)) {
            if (expected.contains(r)) {
                continue;
            }
            String name = Path.of(r).getFileName().toString();
            assertTrue(TestLibrary.isTempName(name), "unexpected file after a kill: " + r);
            temps++;
        }
        return new State(news, temps);
    }

    /** Keeps a failed chain's library and journal in the build folder, so that it can be looked at. */
    private static void keepForInspection(Path lib, Path journal, int chain, StringBuilder log) throws IOException {
        Path keep = TestLibrary.pluginsDir().toAbsolutePath().getParent().resolve("killnine-failure-" + chain);
        TestLibrary.copyTree(lib, keep.resolve("lib"));
        if (Files.exists(journal)) {
            Files.copy(journal, keep.resolve("journal.jsonl"));
        }
        Files.writeString(keep.resolve("log.txt"), log);
    }

    private static int taggable(List<String> tracks) {
        return (int) tracks.stream().filter(t -> !t.endsWith(".au")).count();
    }

    /** Journalled changes whose track has no done line: the kill fell between the two. */
    private static int changesWithoutDone(Path journal) throws IOException {
        if (!Files.exists(journal)) {
            return 0;
        }
        Set<String> changed = new HashSet<>();
        Set<String> done = new HashSet<>();
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            try {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                String type = o.get("type").getAsString();
                if (type.equals("change")) {
                    changed.add(o.get("file").getAsString());
                } else if (type.equals("done")) {
                    done.add(o.get("file").getAsString());
                }
            } catch (RuntimeException e) {
                // a line torn by the kill
            }
        }
        changed.removeAll(done);
        return changed.size();
    }

    /**
     * Runs {@code retag --policy replace --threads 1} in a child JVM; unless {@code point} is
     * {@code none}, the child stops at that point (see {@link KillPoint}) and is killed there with
     * SIGKILL. A child that finishes before reaching its point is not killed.
     */
    private Child runChild(Path dir, Path lib, Path journal, boolean resume, String point, int n) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // C1 only and the serial collector: these runs live seconds, so they start faster.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "org.genretagger.host.KillPoint", point, String.valueOf(n),
                "retag", lib.toString(), "--policy", "replace", "--min-confidence", "0", "--threads", "1",
                "--plugins-dir", TestLibrary.pluginsDir().toAbsolutePath().toString()));
        if (journal != null) {
            cmd.addAll(List.of("--journal", journal.toString()));
        }
        if (resume) {
            cmd.addAll(List.of("--resume", journal.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("XDG_DATA_HOME", dir.resolve("xdg-data").toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("xdg-config").toString());
        pb.environment().put("TERM", "dumb");
        Process p = pb.start();
        try {
            List<String> lines = new ArrayList<>();
            boolean killed = false;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    if (line.startsWith(KillPoint.MARKER)) {
                        // The child waits at the point for good: the kill lands exactly there.
                        p.destroyForcibly(); // SIGKILL (also closes our end of its output)
                        killed = true;
                        break;
                    }
                }
            }
            p.waitFor();
            return new Child(killed, p.exitValue(), lines);
        } finally {
            p.destroyForcibly(); // a test that times out leaves no child behind
        }
    }

    private static List<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
