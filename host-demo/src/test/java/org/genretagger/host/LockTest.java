package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writing runs on one library: while a run (in a child JVM) holds the library, a second
 * retag and an --apply stop at once naming it, and write nothing; a dry run still works; after a
 * {@code kill -9} of the first, the OS has freed the lock and a new run goes through.
 */
class LockTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // only a guard against a hang; no step below waits for a set time
    void aSecondRunIsRefusedNamingTheFirstAndGoesThroughOnceTheFirstIsKilled(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path mp3 = Files.copy(TestLibrary.fixtures().resolve("tone.mp3"), lib.resolve("tone.mp3"));
        Path flac = Files.copy(TestLibrary.fixtures().resolve("tone.flac"), lib.resolve("tone.flac"));
        byte[] mp3Bytes = Files.readAllBytes(mp3);
        byte[] flacBytes = Files.readAllBytes(flac);

        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "-Dplugins.dir=" + TestLibrary.pluginsDir().toAbsolutePath(),
                "org.genretagger.host.LockHolder", lib.toString(), dir.resolve("first.jsonl").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process first = pb.start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Long> holding = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    if (line.startsWith("holding ")) {
                        holding.complete(Long.parseLong(line.substring(8).strip()));
                    }
                }
            } catch (java.io.IOException e) {
                // killed
            }
            holding.complete(-1L);
        });
        reader.setDaemon(true);
        reader.start();
        try {
            // However long the child takes to start: it says when it holds the lock, or its output ends (-1).
            long pid = holding.get();
            assertEquals(first.pid(), pid, "the child holds the lock: " + lines);

            String[] err = new String[1];
            Path second = dir.resolve("second.jsonl");
            TestLibrary.CliRun refused = PlanTest.withStderr(err,
                    () -> TestLibrary.runCli("retag", lib.toString(), "--min-confidence", "0", "--journal", second.toString()));
            assertEquals(HostCli.BUSY, refused.exit(), refused.out() + err[0]);
            String msg = err[0].strip();
            assertFalse(msg.contains("\n"), "one line: " + msg);
            assertTrue(msg.startsWith("error: " + lib.toRealPath() + " is being retagged by another run (pid " + pid + ", started "), msg);
            assertTrue(msg.contains("org.genretagger.host.LockHolder " + lib), "names the holder's command: " + msg);
            assertFalse(Files.exists(second), "the refused run kept no journal");

            Path plan = dir.resolve("plan.csv");
            Files.writeString(plan, "# genre-tagger plan; root: " + lib + "\npath,size,mtime,genre_after\n"
                    + mp3 + "," + Files.size(mp3) + "," + Files.getLastModifiedTime(mp3).toInstant() + ",Rock\n");
            TestLibrary.CliRun apply = PlanTest.withStderr(err, () -> TestLibrary.runCli("retag", "--apply", plan.toString(),
                    "--journal", second.toString()));
            assertEquals(HostCli.BUSY, apply.exit(), apply.out() + err[0]);
            assertTrue(err[0].contains("(pid " + pid + ", "), err[0]);

            assertEquals(HostCli.OK, TestLibrary.runCli("retag", lib.toString(), "--dry-run").exit(), "a dry run takes no lock");
            assertArrayEquals(mp3Bytes, Files.readAllBytes(mp3));
            assertArrayEquals(flacBytes, Files.readAllBytes(flac));
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no finally in the child
            first.waitFor(); // a killed process always ends; the OS has closed its files (and freed the lock) by then
        }

        TestLibrary.CliRun after = TestLibrary.runCli("retag", lib.toString(), "--min-confidence", "0",
                "--journal", dir.resolve("after.jsonl").toString());
        assertEquals(HostCli.OK, after.exit(), after.out());
        assertEquals(1, TestLibrary.readGenres(mp3).size(), "written once the killed run's lock was gone");
        assertEquals(1, TestLibrary.readGenres(flac).size());
    }
}
