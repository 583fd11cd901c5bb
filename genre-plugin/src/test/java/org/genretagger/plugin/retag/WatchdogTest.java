package org.genretagger.plugin.retag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.genretagger.api.GenreScore;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.TrackResult;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A track whose classification never returns (as a native call stuck for good would) gets a
 * FAILED result from the watchdog and the run ends; when the stuck call does come back later, it
 * can no longer write the file or report a second result.
 */
class WatchdogTest {
    @Test
    @Timeout(60)
    void aStuckTrackIsGivenUpAndCanNoLongerWrite(@TempDir Path dir) throws Exception {
        Path fixtures = Path.of("src/test/resources/audio");
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path fine = Files.copy(fixtures.resolve("tone.flac"), lib.resolve("a-fine.flac"));
        Path slow = Files.copy(fixtures.resolve("tone.flac"), lib.resolve("c-slow.flac"));
        Path stuck = Files.copy(fixtures.resolve("tone.flac"), lib.resolve("b-stuck.flac"));
        byte[] stuckBytes = Files.readAllBytes(stuck);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuckReturned = new CountDownLatch(1);
        CountDownLatch gaveUp = new CountDownLatch(1);
        RetagJob.Classify classify = (file, analysis, times, deadline) -> {
            if (file.getFileName().toString().equals("c-slow.flac")) {
                // Started once the watchdog freed the stuck track's slot; keeps the run (and its
                // journal) going until the stuck call has come back late and could have written.
                try {
                    gaveUp.await();
                    release.countDown();
                    stuckReturned.await();
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (file.getFileName().toString().equals("b-stuck.flac")) {
                // Deaf to interrupts, like a thread inside native code.
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        // keeps waiting
                    }
                }
                stuckReturned.countDown();
            }
            return new TrackAnalyzer.Analyzed(new TrackPrediction(file,
                    List.of(new GenreScore("Rock", "rock", 0.9), new GenreScore("Jazz", "jazz", 0.1)), 3.0, List.of()), null);
        };
        ModelConfig config = new ModelConfig();
        config.labels = List.of("rock", "jazz");
        config.genres = List.of("Rock", "Jazz");
        AtomicInteger reported = new AtomicInteger();
        RetagListener counting = new RetagListener() {
            @Override
            public void trackFinished(TrackResult result) {
                reported.incrementAndGet();
                if (result.file().getFileName().toString().equals("b-stuck.flac")) {
                    gaveUp.countDown();
                }
            }
        };
        Path journal = dir.resolve("j.jsonl");
        RetagRequest request = RetagRequest.builder(lib).policy(TagPolicy.REPLACE).minConfidence(0.0).threads(1).journal(journal).build();
        long t0 = System.nanoTime();
        RetagReport report = new RetagJob(classify, config, request, counting, 1, 4).run();
        double seconds = (System.nanoTime() - t0) / 1e9;

        Map<Path, TrackResult> byFile = new java.util.HashMap<>();
        report.results().forEach(r -> byFile.put(r.file(), r));
        assertEquals(3, report.results().size());
        assertEquals(Outcome.TAGGED, byFile.get(fine).outcome(), byFile.get(fine).toString());
        assertEquals(Outcome.TAGGED, byFile.get(slow).outcome(), byFile.get(slow).toString());
        TrackResult given = byFile.get(stuck);
        assertEquals(Outcome.FAILED, given.outcome());
        assertEquals("b-stuck.flac: gave up after 4 s (reading or decoding it never finished); left as it is", given.message());
        assertTrue(seconds < 30, "the run ended without the stuck track: " + seconds + " s");

        assertTrue(stuckReturned.await(10, TimeUnit.SECONDS), "the stuck call came back while the run was still going");
        assertArrayEquals(stuckBytes, Files.readAllBytes(stuck), "a given-up track is never written, even while the run goes on");
        assertEquals(3, reported.get(), "no second result for the given-up track");
        String lines = Files.readString(journal);
        assertFalse(lines.contains("stuck.flac\",\"before"), "no change journalled for it");
        assertEquals(1, lines.split("b-stuck.flac\",\"outcome\":\"FAILED\"", -1).length - 1, lines);
        try (var s = Files.list(lib)) {
            assertEquals(3, s.count(), "no temporary file");
        }
    }
}
