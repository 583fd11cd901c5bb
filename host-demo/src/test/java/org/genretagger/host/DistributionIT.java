package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as a user gets it: unpacked anywhere, {@code bin/genre-tagger} (also through a
 * link, as from ~/.local/bin) finds its jar and plugin and runs.
 */
class DistributionIT {

    private record Run(int exit, String out) {}

    private static Run run(Path dir, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("TERM", "dumb");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out); // its output has ended: it is ending, however slowly
    }

    @Test
    void theUnpackedTarballRunsFromAnyFolder(@TempDir Path dir) throws Exception {
        Path tarball = Path.of(System.getProperty("dist.tarball"));
        String version = System.getProperty("dist.version");
        assertEquals(0, run(dir, "tar", "xzf", tarball.toString()).exit());
        Path home = dir.resolve("genre-tagger-" + version);
        for (String f : List.of("bin/genre-tagger", "lib/host-demo.jar", "plugins/genre-plugin-" + version + ".zip", "README.md",
                "docs/model.md")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), f);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/genre-tagger")));

        Run v = run(dir, home.resolve("bin/genre-tagger").toString(), "--version");
        assertEquals(0, v.exit(), v.out());
        assertTrue(v.out().startsWith("genre-tagger " + version), v.out());
        assertTrue(v.out().contains("\nplugin genre-plugin " + version + " ("), v.out());
        assertTrue(v.out().matches("(?s).*\nmodel \\S+ \\S+ \\(\\d+ genres\\).*"), v.out());

        Path bin = Files.createDirectories(dir.resolve("elsewhere/bin"));
        Path link = Files.createSymbolicLink(bin.resolve("genre-tagger"), home.resolve("bin/genre-tagger"));
        Path music = Files.createDirectories(dir.resolve("Music"));
        Files.copy(Path.of(System.getProperty("fixtures.dir"), "tone.flac"), music.resolve("tone.flac"));
        byte[] before = Files.readAllBytes(music.resolve("tone.flac"));
        Run dry = run(dir.resolve("elsewhere"), link.toString(), "retag", music.toString(), "--dry-run", "--min-confidence", "0");
        assertEquals(0, dry.exit(), dry.out());
        assertTrue(dry.out().contains("would tag") && dry.out().contains("dry run: nothing written"), dry.out());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(music.resolve("tone.flac"))));
    }
}
