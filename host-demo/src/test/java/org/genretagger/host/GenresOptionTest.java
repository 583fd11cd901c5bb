package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --genres} on {@code retag} and {@code classify}: the genres not chosen are set aside and
 * the chosen ones share their probability; nothing outside them is written or reported, by track,
 * by album, through a plan, or from the config file; an unknown name is a usage error. Which genres
 * are chosen comes from what the shipped model hears in the fixtures, never from a fixed list.
 */
class GenresOptionTest {
    /** Three formats are enough; each run classifies them all. */
    private static final List<String> FILES = List.of("tone.flac", "tone.mp3", "tone.wav");
    /** The shipped model's not-music class: no genre, never chosen, never set aside by --genres. */
    private static final String NOT_MUSIC = "notmusic";

    /** A class of the model's verdict. */
    record Score(String genre, String label, double p) {}

    /** Per fixture, the whole model's verdict (classify --json without --genres). */
    private static Map<String, List<Score>> whole;
    /** The model's genre labels (not music left out), and their display names. */
    private static List<String> labels;
    private static Map<String, String> nameOf;

    @BeforeAll
    static void classifyWhole() {
        List<String> args = new ArrayList<>(List.of("classify", "--json"));
        FILES.forEach(f -> args.add(TestLibrary.fixtures().resolve(f).toString()));
        TestLibrary.CliRun run = TestLibrary.runCli(args.toArray(String[]::new));
        assertEquals(HostCli.OK, run.exit(), run.out());
        whole = parse(run.out());
        assertEquals(FILES.size(), whole.size(), run.out());
        nameOf = new LinkedHashMap<>();
        whole.get(FILES.get(0)).stream().sorted(java.util.Comparator.comparing(Score::label))
                .filter(s -> !s.label().equals(NOT_MUSIC)).forEach(s -> nameOf.put(s.label(), s.genre()));
        labels = List.copyOf(nameOf.keySet());
        assertTrue(labels.size() >= 4, "the model's genres: " + labels);
    }

    private static Map<String, List<Score>> parse(String jsonLines) {
        Map<String, List<Score>> out = new LinkedHashMap<>();
        for (String line : jsonLines.strip().split("\n")) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            assertFalse(o.has("error"), line);
            List<Score> scores = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("genres")) {
                JsonObject g = e.getAsJsonObject();
                scores.add(new Score(g.get("genre").getAsString(), g.get("label").getAsString(), g.get("probability").getAsDouble()));
            }
            out.put(Path.of(o.get("file").getAsString()).getFileName().toString(), scores);
        }
        return out;
    }

    private static Path library(Path dir, String name) throws Exception {
        Path lib = dir.toRealPath().resolve(name);
        Files.createDirectories(lib);
        for (String f : FILES) {
            Files.copy(TestLibrary.fixtures().resolve(f), lib.resolve(f));
        }
        return lib;
    }

    private static JsonObject report(Path json) throws Exception {
        return JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    }

    private static Map<String, JsonObject> tracks(JsonObject report) {
        Map<String, JsonObject> out = new HashMap<>();
        for (JsonElement e : report.getAsJsonArray("tracks")) {
            JsonObject t = e.getAsJsonObject();
            out.put(Path.of(t.get("path").getAsString()).getFileName().toString(), t);
        }
        return out;
    }

    private static List<String> strings(JsonObject o, String key) {
        List<String> out = new ArrayList<>();
        o.getAsJsonArray(key).forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static String labelOfName(String name) {
        return nameOf.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(name)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("not a genre of the model: " + name));
    }

    /**
     * The genre a run at threshold 0 writes: the likeliest of the allowed genres in the whole
     * verdict (setting classes aside keeps the order of the rest). Near-ties accept either.
     */
    private static Set<String> expectedTop(String file, Set<String> allowed) {
        List<Score> kept = whole.get(file).stream().filter(s -> allowed.contains(s.label())).toList();
        Set<String> out = new HashSet<>();
        for (Score s : kept) {
            if (s.p() >= kept.get(0).p() - 1e-4) {
                out.add(s.label());
            }
        }
        return out;
    }

    /** The choice as a user might type it: display names in odd case for some, labels for the others. */
    private static String typed(Set<String> allowed) {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String l : labels) {
            if (allowed.contains(l)) {
                out.add(i++ % 2 == 0 ? nameOf.get(l).toUpperCase(Locale.ROOT) : l);
            }
        }
        return String.join(",", out);
    }

    @Test
    void retagNeverWritesAGenreOutsideTheChosenOnes(@TempDir Path dir) throws Exception {
        // What a run writes without --genres (not music is set aside at threshold 0).
        Path lib = library(dir, "lib");
        TestLibrary.CliRun plain = TestLibrary.runCli("retag", lib.toString(), "--dry-run", "--policy", "replace", "--min-confidence", "0",
                "--report", dir.resolve("plain.json").toString());
        assertEquals(HostCli.OK, plain.exit(), plain.out());
        Set<String> excluded = new HashSet<>();
        tracks(report(dir.resolve("plain.json"))).forEach((f, t) -> {
            assertEquals("would_tag", t.get("outcome").getAsString(), t.toString());
            excluded.add(labelOfName(strings(t, "genreAfter").get(0)));
        });
        Set<String> allowed = new HashSet<>(labels);
        allowed.removeAll(excluded);
        assertTrue(allowed.size() >= 2, "genres left to choose: " + allowed);

        TestLibrary.CliRun run = TestLibrary.runCli("retag", lib.toString(), "--policy", "replace", "--min-confidence", "0",
                "--genres", typed(allowed), "--report", dir.resolve("narrow.json").toString(),
                "--journal", dir.resolve("j.jsonl").toString());
        assertEquals(HostCli.OK, run.exit(), run.out());
        Map<String, JsonObject> narrow = tracks(report(dir.resolve("narrow.json")));
        assertEquals(FILES.size(), narrow.size());
        for (String f : FILES) {
            JsonObject t = narrow.get(f);
            assertEquals("tagged", t.get("outcome").getAsString(), t.toString());
            List<String> written = TestLibrary.readGenres(lib.resolve(f));
            assertEquals(1, written.size(), f + ": " + written);
            String label = labelOfName(written.get(0));
            assertFalse(excluded.contains(label), f + " got an excluded genre " + written + " (excluded " + excluded + ")");
            assertTrue(expectedTop(f, allowed).contains(label), f + ": wrote " + label + ", expected one of "
                    + expectedTop(f, allowed) + " from " + whole.get(f));
            for (JsonElement g : t.getAsJsonArray("top")) {
                String name = g.getAsJsonObject().get("genre").getAsString();
                assertTrue(allowed.contains(labelOfName(name)), f + ": reported an excluded genre " + name);
            }
        }

        // At the model's own threshold: an allowed genre, or nothing.
        Path lib2 = library(dir, "lib2");
        TestLibrary.CliRun byDefault = TestLibrary.runCli("retag", lib2.toString(), "--policy", "replace", "--genres", typed(allowed),
                "--report", dir.resolve("default.json").toString(), "--journal", dir.resolve("k.jsonl").toString());
        assertEquals(HostCli.OK, byDefault.exit(), byDefault.out());
        tracks(report(dir.resolve("default.json"))).forEach((f, t) -> {
            String outcome = t.get("outcome").getAsString();
            assertTrue(outcome.equals("tagged") || outcome.equals("low_confidence"), t.toString());
            try {
                for (String g : TestLibrary.readGenres(lib2.resolve(f))) {
                    assertTrue(allowed.contains(labelOfName(g)), f + ": wrote " + g + ", outside " + allowed);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void classifyJsonSharesTheProbabilityAmongTheChosenGenres() {
        // Every other genre of the model, the first as a display name in lower case.
        Set<String> allowed = new HashSet<>();
        for (int i = 0; i < labels.size(); i += 2) {
            allowed.add(labels.get(i));
        }
        List<String> args = new ArrayList<>(List.of("classify", "--json", "--genres", typed(allowed).toLowerCase(Locale.ROOT)));
        FILES.forEach(f -> args.add(TestLibrary.fixtures().resolve(f).toString()));
        TestLibrary.CliRun run = TestLibrary.runCli(args.toArray(String[]::new));
        assertEquals(HostCli.OK, run.exit(), run.out());
        Map<String, List<Score>> narrow = parse(run.out());
        for (String f : FILES) {
            List<Score> all = whole.get(f);
            Set<String> kept = new HashSet<>(allowed);
            all.stream().filter(s -> s.label().equals(NOT_MUSIC)).forEach(s -> kept.add(NOT_MUSIC));
            List<Score> got = narrow.get(f);
            Set<String> gotLabels = new HashSet<>();
            got.forEach(s -> gotLabels.add(s.label()));
            assertEquals(kept, gotLabels, f + ": the chosen genres and not music, nothing else");
            assertEquals(1.0, got.stream().mapToDouble(Score::p).sum(), 1e-6, f + ": " + got);
            double keptMass = all.stream().filter(s -> kept.contains(s.label())).mapToDouble(Score::p).sum();
            for (int i = 0; i < got.size(); i++) {
                Score s = got.get(i);
                double before = all.stream().filter(a -> a.label().equals(s.label())).findFirst().orElseThrow().p();
                assertEquals(before / keptMass, s.p(), 1e-6, f + ": " + s.label() + " keeps its share");
                if (i > 0) {
                    assertTrue(got.get(i - 1).p() >= s.p(), f + ": still sorted: " + got);
                }
            }
        }
    }

    @Test
    void anUnknownGenreIsAUsageErrorNamingItAndTheModelsGenres(@TempDir Path dir) throws Exception {
        Path lib = library(dir, "lib");
        String[] err = new String[1];
        TestLibrary.CliRun retag = PlanTest.withStderr(err, () -> TestLibrary.runCli("retag", lib.toString(), "--min-confidence", "0",
                "--genres", labels.get(0) + ",Electronica", "--journal", dir.resolve("j.jsonl").toString()));
        assertEquals(HostCli.USAGE, retag.exit(), retag.out() + err[0]);
        assertTrue(err[0].contains("'Electronica'"), err[0]);
        for (String l : labels) {
            assertTrue(err[0].contains(nameOf.get(l)) && err[0].contains(l), "lists " + l + ": " + err[0]);
        }
        for (String f : FILES) {
            assertEquals(List.of(), TestLibrary.readGenres(lib.resolve(f)), "nothing written: " + f);
        }

        TestLibrary.CliRun classify = PlanTest.withStderr(err, () -> TestLibrary.runCli("classify", "--genres", "electronica",
                lib.resolve(FILES.get(0)).toString()));
        assertEquals(HostCli.USAGE, classify.exit(), classify.out() + err[0]);
        assertTrue(err[0].contains("'electronica'") && err[0].contains(nameOf.get(labels.get(0))), err[0]);
        assertFalse(classify.out().contains("%"), "nothing classified: " + classify.out());

        // Not music is no genre to choose.
        TestLibrary.CliRun notMusic = PlanTest.withStderr(err, () -> TestLibrary.runCli("classify", "--genres", NOT_MUSIC,
                lib.resolve(FILES.get(0)).toString()));
        assertEquals(HostCli.USAGE, notMusic.exit(), notMusic.out() + err[0]);
        assertTrue(err[0].contains("'" + NOT_MUSIC + "'"), err[0]);
    }

    @Test
    void theConfigFileKeyNarrowsRetagAndClassifyButNotLearn(@TempDir Path dir) throws Exception {
        Path lib = library(dir, "lib");
        String top = labelOfName(whole.get(FILES.get(0)).stream().filter(s -> !s.label().equals(NOT_MUSIC)).findFirst()
                .orElseThrow().genre());
        Set<String> allowed = new HashSet<>(labels);
        allowed.remove(top);
        Path cfg = dir.resolve("config.properties");
        Files.writeString(cfg, String.join("\n", "policy=replace", "min-confidence=0", "genres=" + typed(allowed), ""));

        // The mechanism: picocli takes the key as each command's default, split like the option.
        String[] withConfig = {"--config", cfg.toString()};
        CommandLine cli = new CommandLine(new HostCli());
        cli.setDefaultValueProvider(new ConfigDefaults(withConfig));
        CommandLine.ParseResult classify = cli.parseArgs("classify", "x.wav");
        List<String> classifyGenres = ((ClassifyCommand) classify.subcommand().commandSpec().userObject()).genres;
        assertEquals(List.of(typed(allowed).split(",")), classifyGenres);
        cli = new CommandLine(new HostCli());
        cli.setDefaultValueProvider(new ConfigDefaults(withConfig));
        CommandLine.ParseResult learn = cli.parseArgs("learn", dir.toString(), "--out", dir.resolve("m").toString());
        assertEquals(List.of(), ((LearnCommand) learn.subcommand().commandSpec().userObject()).genres,
                "learn --genres (which genres to learn) is another option");

        // A retag run with only the config file: the track whose top genre is left out gets another.
        Path file = lib.resolve(FILES.get(0));
        TestLibrary.CliRun run = TestLibrary.runCli("retag", lib.toString(), "--config", cfg.toString(), "--include", FILES.get(0),
                "--journal", dir.resolve("j.jsonl").toString());
        assertEquals(HostCli.OK, run.exit(), run.out());
        List<String> written = TestLibrary.readGenres(file);
        assertEquals(1, written.size(), run.out());
        String label = labelOfName(written.get(0));
        assertTrue(expectedTop(FILES.get(0), allowed).contains(label), "wrote " + label + " with " + top + " left out");
    }

    @Test
    void aPlanRecordsTheGenresAndApplyingItWritesNoOther(@TempDir Path dir) throws Exception {
        Path lib = library(dir, "lib");
        // Leave out each track's top genre: the plan must offer others.
        Set<String> excluded = new HashSet<>();
        for (String f : FILES) {
            excluded.add(whole.get(f).stream().filter(s -> !s.label().equals(NOT_MUSIC)).findFirst().orElseThrow().label());
        }
        Set<String> allowed = new HashSet<>(labels);
        allowed.removeAll(excluded);
        Path plan = dir.resolve("plan.csv");
        TestLibrary.CliRun planned = TestLibrary.runCli("retag", lib.toString(), "--plan", plan.toString(), "--policy", "replace",
                "--min-confidence", "0", "--genres", typed(allowed));
        assertEquals(HostCli.OK, planned.exit(), planned.out());
        List<String> lines = Files.readAllLines(plan);
        String recorded = lines.stream().filter(l -> l.startsWith("# genres: ")).findFirst().orElseThrow(() -> new AssertionError(lines));
        Set<String> recordedLabels = new HashSet<>();
        for (String g : recorded.substring("# genres: ".length()).split(";")) {
            recordedLabels.add(labelOfName(g.strip()));
        }
        assertEquals(allowed, recordedLabels, recorded);

        // A row edited to a genre left out refuses the whole plan.
        String someFile = FILES.get(0);
        String excludedName = nameOf.get(excluded.iterator().next());
        List<String> edited = new ArrayList<>();
        boolean changed = false;
        for (String l : lines) {
            if (!changed && l.contains("/" + someFile + ",")) {
                String[] cells = l.split(",", -1);
                assertTrue(allowed.contains(labelOfName(cells[4])), "planned an allowed genre: " + l);
                cells[4] = excludedName;
                l = String.join(",", cells);
                changed = true;
            }
            edited.add(l);
        }
        assertTrue(changed, lines.toString());
        Path bad = Files.write(dir.resolve("bad.csv"), edited);
        String[] err = new String[1];
        TestLibrary.CliRun refused = PlanTest.withStderr(err, () -> TestLibrary.runCli("retag", "--apply", bad.toString(),
                "--journal", dir.resolve("bad.jsonl").toString()));
        assertEquals(HostCli.USAGE, refused.exit(), refused.out() + err[0]);
        assertTrue(err[0].contains("'" + excludedName + "'") && err[0].contains("line "), err[0]);
        for (String f : FILES) {
            assertEquals(List.of(), TestLibrary.readGenres(lib.resolve(f)), "nothing written: " + f);
        }

        // The plan as made is applied, every genre in it an allowed one.
        TestLibrary.CliRun applied = TestLibrary.runCli("retag", "--apply", plan.toString(), "--journal", dir.resolve("ok.jsonl").toString());
        assertEquals(HostCli.OK, applied.exit(), applied.out());
        for (String f : FILES) {
            List<String> written = TestLibrary.readGenres(lib.resolve(f));
            assertEquals(1, written.size(), f + ": " + written);
            assertTrue(allowed.contains(labelOfName(written.get(0))), f + ": " + written);
        }
    }

    @Test
    void byAlbumTheAlbumsVerdictIsNarrowedToo(@TempDir Path dir) throws Exception {
        Path lib = library(dir, "lib");
        java.util.logging.Logger.getLogger("org.jaudiotagger").setLevel(java.util.logging.Level.OFF);
        for (String f : FILES) {
            AudioFile af = AudioFileIO.read(lib.resolve(f).toFile());
            Tag tag = af.getTagOrCreateAndSetDefault();
            tag.setField(FieldKey.ARTIST, "Tone Band");
            tag.setField(FieldKey.ALBUM, "Tones");
            af.commit();
        }
        TestLibrary.CliRun plain = TestLibrary.runCli("retag", lib.toString(), "--dry-run", "--by", "album", "--policy", "replace",
                "--min-confidence", "0", "--report", dir.resolve("plain.json").toString());
        assertEquals(HostCli.OK, plain.exit(), plain.out());
        Set<String> albumGenre = new HashSet<>();
        tracks(report(dir.resolve("plain.json"))).values().forEach(t -> albumGenre.add(labelOfName(strings(t, "genreAfter").get(0))));
        assertEquals(1, albumGenre.size(), "one genre for the album: " + albumGenre);
        Set<String> allowed = new HashSet<>(labels);
        allowed.removeAll(albumGenre);

        TestLibrary.CliRun run = TestLibrary.runCli("retag", lib.toString(), "--by", "album", "--policy", "replace", "--min-confidence", "0",
                "--genres", typed(allowed), "--report", dir.resolve("narrow.json").toString(), "--journal", dir.resolve("j.jsonl").toString());
        assertEquals(HostCli.OK, run.exit(), run.out());
        Set<String> written = new HashSet<>();
        for (JsonObject t : tracks(report(dir.resolve("narrow.json"))).values()) {
            assertEquals("tagged", t.get("outcome").getAsString(), t.toString());
            assertTrue(t.get("album").getAsString().contains("Tones"), "judged as an album: " + t);
            String own = t.get("trackGenre").getAsString();
            boolean notMusic = whole.get(FILES.get(0)).stream().anyMatch(s -> s.label().equals(NOT_MUSIC) && s.genre().equals(own));
            assertTrue(notMusic || allowed.contains(labelOfName(own)), "the track's own top is narrowed too: " + t);
        }
        for (String f : FILES) {
            List<String> g = TestLibrary.readGenres(lib.resolve(f));
            assertEquals(1, g.size(), f + ": " + g);
            written.add(labelOfName(g.get(0)));
        }
        assertEquals(1, written.size(), "one genre for the album: " + written);
        assertTrue(allowed.containsAll(written), written + " outside " + allowed);
    }
}
