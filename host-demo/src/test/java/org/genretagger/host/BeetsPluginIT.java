package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The beets plugin from the tarball, run by the real beets (Debian's {@code beets}) in a temporary
 * {@code BEETSDIR} on a generated library: imported as is, then {@code beet genretag -p},
 * {@code beet genretag}, {@code source: album} with {@code auto: yes} on import, and the learn
 * bridge on genres that only beets' database has. Fails (does not skip) without beets or ffmpeg.
 */
class BeetsPluginIT {
    private static Path home;

    private record Run(int exit, String out) {}

    @BeforeAll
    static void unpack(@TempDir Path dir) throws Exception {
        for (String tool : List.of("beet", "ffmpeg", "ffprobe")) {
            if (!onPath(tool)) {
                fail(tool + " is not installed; the beets plugin's test needs it: apt-get install beets ffmpeg (.ci/run does)");
            }
        }
        Path tarball = Path.of(System.getProperty("dist.tarball"));
        assertEquals(0, run(dir, Map.of(), "tar", "xzf", tarball.toString()).exit());
        home = dir.resolve("genre-tagger-" + System.getProperty("dist.version"));
        assertTrue(Files.isRegularFile(home.resolve("integrations/beets/beetsplug/genretagger.py")), "the tarball ships the beets plugin");
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static Run run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("OMP_NUM_THREADS", "2");
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out); // its output has ended: it is ending, however slowly
    }

    /** A beets set-up: its BEETSDIR with config.yaml, and a PATH with (or without) genre-tagger on it. */
    private record Beets(Path dir, Map<String, String> env) {
        Run beet(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("beet"));
            cmd.addAll(List.of(args));
            Run r = run(dir, env, cmd.toArray(String[]::new));
            System.out.println("$ " + String.join(" ", cmd) + "\n" + r.out());
            return r;
        }

        /** path to genre, from beets' database. */
        Map<String, String> genres() throws Exception {
            Run r = beet("ls", "-f", "$path\t$genre");
            assertEquals(0, r.exit(), r.out());
            Map<String, String> m = new TreeMap<>();
            for (String line : r.out().split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0 && line.startsWith("/")) {
                    m.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
            return m;
        }
    }

    private static Beets beets(Path dir, String pluginConfig, boolean toolOnPath) throws Exception {
        Path config = Files.createDirectories(dir.resolve("beetsdir"));
        Files.writeString(config.resolve("config.yaml"), String.join("\n",
                "directory: " + dir.resolve("library"),
                "library: " + config.resolve("library.db"),
                "pluginpath: " + home.resolve("integrations/beets/beetsplug"),
                "plugins: genretagger",
                "import:",
                "    copy: no",
                "    write: yes",
                "    log: " + config.resolve("import.log"),
                "genretagger:",
                pluginConfig.indent(4)));
        String path = System.getenv("PATH");
        if (toolOnPath) {
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Files.createSymbolicLink(bin.resolve("genre-tagger"), home.resolve("bin/genre-tagger"));
            path = bin + ":" + path;
        }
        return new Beets(dir, Map.of("BEETSDIR", config.toString(), "PATH", path, "HOME", dir.toString()));
    }

    /** A FLAC of generated audio (a chord of sines, or noise) with tags. */
    private static Path track(Path file, String sound, String artist, String album, String title, String genre) throws Exception {
        Files.createDirectories(file.getParent());
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", sound, "-t", "7", "-ac", "2",
                "-metadata", "artist=" + artist, "-metadata", "album=" + album, "-metadata", "title=" + title));
        if (genre != null) {
            cmd.addAll(List.of("-metadata", "genre=" + genre));
        }
        cmd.add(file.toString());
        Run r = run(file.getParent(), Map.of(), cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), r.out());
        return file;
    }

    private static String sine(int hz) {
        return "sine=frequency=" + hz + ":sample_rate=22050";
    }

    private static String noise(int seed) {
        return "anoisesrc=color=pink:sample_rate=22050:seed=" + seed;
    }

    /** The genre in the file's own tags, as ffprobe reads it. */
    private static String fileGenre(Path file) throws Exception {
        Run r = run(file.getParent(), Map.of(), "ffprobe", "-v", "error", "-show_entries", "format_tags=genre", "-of", "csv=p=0", file.toString());
        assertEquals(0, r.exit(), r.out());
        return r.out().strip();
    }

    private static Map<Path, String> digests(List<Path> files) throws Exception {
        Map<Path, String> m = new LinkedHashMap<>();
        for (Path f : files) {
            m.put(f, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
        }
        return m;
    }

    /**
     * Three albums (all sines; two sines and two noises; a hand-tagged Polka track, an untagged one
     * and one that breaks after the import), then pretend, tag, and the rules of what is written.
     */
    @Test
    void genretagFillsEmptyGenresKeepsHandSetOnesAndLogsTheBrokenFile(@TempDir Path dir) throws Exception {
        Path music = dir.resolve("music");
        List<Path> files = List.of(
                track(music.resolve("one/1.flac"), sine(220), "Artist One", "Album One", "a", null),
                track(music.resolve("one/2.flac"), sine(330), "Artist One", "Album One", "b", null),
                track(music.resolve("mixed/1.flac"), sine(440), "Artist Two", "Mixed", "c", null),
                track(music.resolve("mixed/2.flac"), noise(1), "Artist Two", "Mixed", "d", null),
                track(music.resolve("mixed/3.flac"), noise(2), "Artist Two", "Mixed", "e", null),
                track(music.resolve("three/1.flac"), sine(550), "Artist Three", "Album Three", "f", "Polka"),
                track(music.resolve("three/2.flac"), sine(660), "Artist Three", "Album Three", "g", null),
                track(music.resolve("three/broken.flac"), sine(770), "Artist Three", "Album Three", "h", null));
        Path broken = files.get(7);
        Path handSet = files.get(5);

        // Without the tool: one clear message saying how to install it.
        Beets without = beets(dir.resolve("no-tool"), "min_confidence: 0", false);
        Run missing = without.beet("genretag");
        assertNotEquals(0, missing.exit(), missing.out());
        assertTrue(missing.out().contains("genre-tagger is not on PATH") && missing.out().contains("install the genre tagger"), missing.out());

        Beets b = beets(dir, "min_confidence: 0", true);
        Run imported = b.beet("import", "-A", "-q", music.toString());
        assertEquals(0, imported.exit(), imported.out());
        byte[] garbage = new byte[40_000];
        new Random(19).nextBytes(garbage);
        Files.write(broken, garbage); // the file goes bad after the import: undecodable audio
        Map<String, String> before = b.genres();
        assertEquals(8, before.size(), before.toString());
        assertEquals("Polka", before.get(handSet.toString()));
        Map<Path, String> bytes = digests(files);

        Run pretend = b.beet("genretag", "-p");
        assertEquals(0, pretend.exit(), pretend.out());
        assertTrue(pretend.out().contains("would set"), pretend.out());
        assertEquals(before, b.genres(), "genretag -p changed the database");
        assertEquals(bytes, digests(files), "genretag -p changed a file");

        Run tag = b.beet("genretag");
        assertEquals(0, tag.exit(), tag.out());
        assertTrue(tag.out().contains(broken.toString()), "the broken file is logged with its path:\n" + tag.out());
        Map<String, String> after = b.genres();
        assertEquals("Polka", after.get(handSet.toString()), "a hand-set genre survives without force");
        assertEquals("", after.get(broken.toString()), "the broken file gets nothing");
        Set<String> mixed = new HashSet<>();
        for (Path f : files) {
            if (f.equals(broken) || f.equals(handSet)) {
                continue;
            }
            String g = after.get(f.toString());
            assertFalse(g.isEmpty(), f + " was not tagged:\n" + tag.out());
            assertEquals(g, fileGenre(f), "beets wrote the genre into " + f + " (import.write is on)");
            if (f.getParent().endsWith("mixed")) {
                mixed.add(g);
            }
        }
        assertEquals("Polka", fileGenre(handSet));
        System.out.println("track verdicts of the mixed album: " + mixed);

        // A second run has nothing left to fill (the broken file is tried again and logged again).
        Run again = b.beet("genretag", "-p");
        assertFalse(again.out().contains("would set"), again.out());
    }

    /**
     * {@code auto: yes} with {@code source: album} and the tool given as {@code command}: the import
     * tags every album with one genre (from all its tracks' windows), keeping a hand-set genre;
     * then {@code --learn} learns from genres that only beets' database has, and tags with it.
     */
    @Test
    void autoTagsOnImportOneGenrePerAlbumAndLearnsFromTheDatabase(@TempDir Path dir) throws Exception {
        Path music = dir.resolve("music");
        List<Path> mixed = List.of(
                track(music.resolve("mixed/1.flac"), sine(440), "Artist Two", "Mixed", "c", null),
                track(music.resolve("mixed/2.flac"), sine(660), "Artist Two", "Mixed", "d", null),
                track(music.resolve("mixed/3.flac"), noise(1), "Artist Two", "Mixed", "e", null),
                track(music.resolve("mixed/4.flac"), noise(2), "Artist Two", "Mixed", "f", null));
        List<Path> noisy = List.of(
                track(music.resolve("noisy/1.flac"), noise(3), "Artist Four", "Noisy", "g", null),
                track(music.resolve("noisy/2.flac"), noise(4), "Artist Four", "Noisy", "h", null));
        List<Path> sines = List.of(
                track(music.resolve("sines/1.flac"), sine(300), "Artist Five", "Sines", "k", null),
                track(music.resolve("sines/2.flac"), sine(350), "Artist Five", "Sines", "l", null));
        List<Path> hiss = List.of(
                track(music.resolve("static/1.flac"), noise(5), "Artist Six", "Static", "m", null),
                track(music.resolve("static/2.flac"), noise(6), "Artist Six", "Static", "n", null));
        Path handSet = track(music.resolve("three/1.flac"), sine(550), "Artist Three", "Album Three", "i", "Polka");
        Path untagged = track(music.resolve("three/2.flac"), sine(250), "Artist Three", "Album Three", "j", null);

        Beets b = beets(dir, String.join("\n", "command: java -jar " + home.resolve("lib/host-demo.jar"),
                "auto: yes", "source: album", "min_confidence: 0", "learn_args: --min-tracks 2"), false);
        Run imported = b.beet("import", "-A", "-q", music.toString());
        assertEquals(0, imported.exit(), imported.out());
        Map<String, String> g = b.genres();
        for (List<Path> album : List.of(mixed, noisy, sines, hiss)) {
            Set<String> genres = new HashSet<>();
            for (Path f : album) {
                genres.add(g.get(f.toString()));
                assertEquals(g.get(f.toString()), fileGenre(f), "the importer wrote the genre into " + f);
            }
            assertEquals(1, genres.size(), "one genre per album: " + g);
            assertFalse(genres.contains(""), "tagged during import: " + g);
        }
        assertEquals("Polka", g.get(handSet.toString()));
        assertFalse(g.get(untagged.toString()).isEmpty(), g.toString());
        Run albums = b.beet("ls", "-a", "-f", "$album\t$genre");
        assertTrue(albums.out().contains("Mixed\t" + g.get(mixed.get(0).toString())), "the album's own genre too:\n" + albums.out());

        // Learn: genres set in beets' database only (modify -W), by sound: sines Tonal, noises Hiss, two albums
        // each; the Mixed album is left out by the query.
        assertEquals(0, b.beet("modify", "-y", "-W", "title::^(i|j|k|l)$", "genre=Tonal").exit());
        assertEquals(0, b.beet("modify", "-y", "-W", "title::^(g|h|m|n)$", "genre=Hiss").exit());
        assertEquals("Polka", fileGenre(handSet), "modify -W left the file's own genre");
        Path model = dir.resolve("model");
        Run learn = b.beet("genretag", "--learn", model.toString(), "^album:Mixed");
        assertEquals(0, learn.exit(), learn.out());
        assertTrue(Files.isRegularFile(model.resolve("config.json")), learn.out());
        String config = Files.readString(model.resolve("config.json"));
        assertTrue(config.contains("Tonal") && config.contains("Hiss"), "learned beets' genres, not the files' Polka:\n" + config);
        Run pretend = b.beet("genretag", "-p", "-f", "--model", model.toString());
        assertEquals(0, pretend.exit(), pretend.out());
        assertTrue(pretend.out().contains("Tonal") || pretend.out().contains("Hiss") || pretend.out().contains("would change 0"), pretend.out());
        // Every genre it would set (after "->"; before it stands the genre the shipped model gave on import).
        java.util.regex.Matcher set = java.util.regex.Pattern.compile("-> '([^']*)'").matcher(pretend.out());
        while (set.find()) {
            assertTrue(Set.of("Tonal", "Hiss").contains(set.group(1)), "the learned model's genres only:\n" + pretend.out());
        }
    }
}
