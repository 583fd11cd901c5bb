package org.genretagger.plugin.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.genretagger.api.GenreScore;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagReport;
import org.genretagger.api.TagPolicy;
import org.genretagger.api.TrackResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans written by a dry run read back exactly; a malformed plan is refused with its line. */
class RetagPlanTest {
    private static final Instant MTIME = Instant.parse("2026-11-30T12:34:56.123456789Z");

    private static RetagReport report(Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("a, \"quoted\".mp3"), "x");
        Path b = Files.writeString(dir.resolve("b.flac"), "yy");
        Path c = Files.writeString(dir.resolve("c.ogg"), "zzz");
        for (Path p : List.of(a, b, c)) {
            Files.setLastModifiedTime(p, FileTime.from(MTIME));
        }
        List<GenreScore> top = List.of(new GenreScore("Rock", "rock", 0.8), new GenreScore("Metal", "metal", 0.15));
        return new RetagReport(List.of(
                new TrackResult(a, Outcome.WOULD_TAG, List.of(), List.of("Rock"), top, ""),
                new TrackResult(b, Outcome.WOULD_TAG, List.of("Folk", "Pop"), List.of("Rock", "Metal"), top, ""),
                new TrackResult(c, Outcome.LOW_CONFIDENCE, List.of(), List.of(), top, "low")), null, Duration.ZERO, 0.4, Map.of());
    }

    @Test
    void csvAndJsonPlansReadBackEveryIntendedChangeAndNothingElse(@TempDir Path dir) throws IOException {
        RetagReport report = report(dir);
        for (String name : List.of("plan.csv", "plan.json")) {
            Path plan = dir.resolve(name);
            assertEquals(2, RetagPlan.write(plan, dir, TagPolicy.REPLACE, report));
            RetagPlan.Plan read = RetagPlan.read(plan);
            assertEquals(dir.toAbsolutePath(), read.root(), name);
            assertEquals(2, read.rows().size(), name + " holds the would-tag tracks only");
            RetagPlan.Row a = read.rows().get(0);
            assertEquals(dir.resolve("a, \"quoted\".mp3").toAbsolutePath(), a.file(), name);
            assertEquals(1, a.size());
            assertEquals(MTIME, a.mtime(), name + ": the modification time to the nanosecond");
            assertEquals(List.of(), a.before());
            assertEquals(List.of("Rock"), a.after());
            assertEquals(0.8, a.confidence(), 1e-4);
            RetagPlan.Row b = read.rows().get(1);
            assertEquals(List.of("Folk", "Pop"), b.before(), name);
            assertEquals(List.of("Rock", "Metal"), b.after(), name);
            assertTrue(b.reason().contains("replaces Folk; Pop"), b.reason());
        }
    }

    @Test
    void aPlanWithoutItsCommentLineOrWithTrimmedColumnsStillReads(@TempDir Path dir) throws IOException {
        Path plan = Files.writeString(dir.resolve("p.csv"), "\uFEFFpath,size,mtime,genre_after\nsong.mp3,10,2026-01-01T00:00:00Z,Jazz ; Blues\n");
        RetagPlan.Plan read = RetagPlan.read(plan);
        assertNull(read.root());
        assertEquals(dir.resolve("song.mp3").toAbsolutePath(), read.rows().get(0).file(), "relative to the plan's folder");
        assertEquals(List.of("Jazz", "Blues"), read.rows().get(0).after());
        assertNull(read.rows().get(0).confidence());
    }

    @Test
    void malformedPlansAreRefusedNamingTheLine(@TempDir Path dir) throws IOException {
        String head = "# genre-tagger plan; root: " + dir + "\npath,size,mtime,genre_before,genre_after,confidence,album,reason\n";
        String ok = "/m/a.mp3,1,2026-01-01T00:00:00Z,,Rock,0.8,,\n";
        Map<String, String> cases = Map.of(
                "line 2: unknown column 'genre'", "# c\npath,size,mtime,genre\n",
                "line 1: the column 'mtime' is missing", "path,size,genre_after\n",
                "line 4: size 'big' is not a whole number", head + ok + "/m/b.mp3,big,2026-01-01T00:00:00Z,,Rock,,,\n",
                "line 4: mtime 'yesterday' is not a time", head + ok + "/m/b.mp3,1,yesterday,,Rock,,,\n",
                "line 4: no genre to write", head + ok + "/m/b.mp3,1,2026-01-01T00:00:00Z,Rock, ; ,,,\n",
                "line 4: /m/a.mp3 is already planned on line 3", head + ok + ok,
                "line 4: has 3 fields where the header has 8", head + ok + "/m/b.mp3,1,2026-01-01T00:00:00Z\n",
                "line 4: cannot be read", head + ok + "/m/b.mp3,1,2026-01-01T00:00:00Z,,\"Rock,,,\n",
                "line 3: confidence 'high' is not a number", head + "/m/b.mp3,1,2026-01-01T00:00:00Z,,Rock,high,,\n");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path plan = Files.writeString(dir.resolve("bad.csv"), c.getValue());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RetagPlan.read(plan), c.getKey());
            assertTrue(e.getMessage().startsWith(plan + " " + c.getKey()), e.getMessage() + " <- expected " + c.getKey());
            assertTrue(e.getMessage().endsWith("nothing written"), e.getMessage());
        }
        Map<String, String> json = Map.of(
                "line 4: mtime 'soon' is not a time", "{\"root\": \"/m\", \"changes\": [\n"
                        + "{\"path\": \"a.mp3\", \"size\": 1, \"mtime\": \"2026-01-01T00:00:00Z\", \"genre_after\": [\"Rock\"]},\n"
                        + "\n{\"path\": \"b.mp3\", \"size\": 1, \"mtime\": \"soon\", \"genre_after\": [\"Rock\"]}\n]}\n",
                "line 3", "{\"root\": \"/m\", \"changes\": [\n{\"path\": \"a.mp3\", \"size\": 1,\n \"mtime\" \"x\"}]}\n",
                "line 2: unknown field 'genre'", "{\"changes\": [{\"path\": \"a.mp3\",\n \"genre\": 1}]}");
        for (Map.Entry<String, String> c : json.entrySet()) {
            Path plan = Files.writeString(dir.resolve("bad.json"), c.getValue());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RetagPlan.read(plan), c.getKey());
            assertTrue(e.getMessage().contains(c.getKey()) && e.getMessage().startsWith(plan.toString()),
                    e.getMessage() + " <- expected " + c.getKey());
        }
        assertThrows(IllegalArgumentException.class, () -> RetagPlan.read(dir.resolve("plan.txt")));
    }
}
