package org.genretagger.plugin.retag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>The watchdog runs on a clock the test advances (past the limit once the stuck call has
 * begun, never otherwise), so that only the stuck track is ever over the limit however busy the
 * machine; and the run is kept going until the late call's result has been thrown away (the job
 * says so), not for a guessed number of seconds.
 */
class WatchdogTest {
    @Test
    @Timeout(300) // only a guard against a hang: the run takes well under a second
    void aStuckTrackIsGivenUpAndCanNoLongerWrite(@TempDir Path dir) throws Exception {
        Path fixtures = Path.of("src/test/resources/audio");
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path fine = Files.copy(fixtures.resolve("tone.flac"), lib.resolve("a-fine.flac"));
        Path slow = Files.copy(fixtures.resolve("tone.flac"), lib.resolve("c-slow.flac"));
        Path stuck = Files.copy(fixtures.resolve("tone.flac"), lib.resolve("b-stuck.flac"));
        byte[] stuckBytes = Files.readAllBytes(stuck);
        AtomicLong clock = new AtomicLong();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuckReturned = new CountDownLatch(1);
        CountDownLatch gaveUp = new CountDownLatch(1);
        CountDownLatch lateResultVoided = new CountDownLatch(1);
        List<TrackResult> voided = new CopyOnWriteArrayList<>();
        RetagJob.Classify classify = (file, analysis, times, deadline) -> {
            if (file.getFileName().toString().equals("c-slow.flac")) {
                // Started once the watchdog freed the stuck track's slot; keeps the run (and its
                // journal) going until the stuck call has come back late and its result was thrown away.
                try {
                    gaveUp.await();
                    release.countDown();
                    lateResultVoided.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (file.getFileName().toString().equals("b-stuck.flac")) {
                clock.addAndGet(TimeUnit.SECONDS.toNanos(5)); // past the 4 s limit, for this track only
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
        AtomicBoolean stillStuckWhenGivenUp = new AtomicBoolean();
        RetagListener counting = new RetagListener() {
            @Override
            public void trackFinished(TrackResult result) {
                reported.incrementAndGet();
                if (result.file().getFileName().toString().equals("b-stuck.flac")) {
                    stillStuckWhenGivenUp.set(stuckReturned.getCount() == 1);
                    gaveUp.countDown();
                }
            }
        };
        Path journal = dir.resolve("j.jsonl");
        RetagRequest request = RetagRequest.builder(lib).policy(TagPolicy.REPLACE).minConfidence(0.0).threads(1).journal(journal).build();
        RetagReport report = new RetagJob(classify, config, request, counting, 1, 4).watchdogClock(clock::get, r -> {
            voided.add(r);
            lateResultVoided.countDown();
        }).run();

        Map<Path, TrackResult> byFile = new java.util.HashMap<>();
        report.results().forEach(r -> byFile.put(r.file(), r));
        assertEquals(3, report.results().size());
        assertEquals(Outcome.TAGGED, byFile.get(fine).outcome(), byFile.get(fine).toString());
        assertEquals(Outcome.TAGGED, byFile.get(slow).outcome(), byFile.get(slow).toString());
        TrackResult given = byFile.get(stuck);
        assertEquals(Outcome.FAILED, given.outcome());
        assertEquals("b-stuck.flac: gave up after 4 s (reading or decoding it never finished); left as it is", given.message());
        assertTrue(stillStuckWhenGivenUp.get(), "the stuck track was given up while its call was still stuck");

        assertEquals(0, stuckReturned.getCount(), "the stuck call came back while the run was still going");
        assertEquals(1, voided.size(), "the late call's result was thrown away: " + voided);
        assertEquals(stuck, voided.get(0).file());
        assertEquals(Outcome.FAILED, voided.get(0).outcome(), "the late call did not write: " + voided.get(0));
        assertEquals("b-stuck.flac: given up by the watchdog", voided.get(0).message());
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
