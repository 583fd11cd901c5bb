package org.genretagger.host.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.genretagger.host.HostCli;

/**
 * The corpus generator: synthetic music-like tracks written by the trainer's {@code corpus}
 * command in a child process (so this JVM loads FFmpeg only once, inside the plugin), cached by
 * kind, count and length; and the file chores around corpora.
 */
final class Corpus {
    private final Path cacheDir;
    private final Path trainerJar;
    private final PrintWriter out;

    /**
     * @param cacheDir where generated corpora are kept
     * @param trainerJar the trainer that writes them; null for the one beside host-demo's build
     * @param out told when a corpus is written
     */
    Corpus(Path cacheDir, Path trainerJar, PrintWriter out) {
        this.cacheDir = cacheDir;
        this.trainerJar = trainerJar;
        this.out = out;
    }

    /** A cached corpus folder, written by the trainer in a child process when missing or incomplete. */
    Path ensure(String name, int n, double mins, String formats) throws IOException, InterruptedException {
        Path dir = cacheDir.resolve(String.format(Locale.ROOT, "%s-%dx%smin", name, n, BenchCommand.fmt(mins)));
        if (audioFiles(dir).size() >= n) {
            return dir;
        }
        Path larger = larger(name, n, mins);
        if (larger != null) {
            return larger;
        }
        Path jar = trainerJar != null ? trainerJar : defaultTrainerJar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no trainer at " + jar + " to write the corpus (build it: mvn -pl trainer package, "
                    + "or give --trainer-jar, or --corpus DIR)");
        }
        out.printf(Locale.ROOT, "writing corpus %s with %s (once; cached)%n", dir, jar);
        out.flush();
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(), "corpus",
                "--out", dir.toString(), "--tracks", Integer.toString(n), "--minutes", Double.toString(mins), "--formats", formats,
                "--prefix", name);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("the trainer's corpus command failed (exit " + rc + ")");
        }
        return dir;
    }

    /** A larger cached corpus of the same kind serves too: its first n tracks are the same music. Null if none. */
    private Path larger(String name, int n, double mins) throws IOException {
        String suffix = "x" + BenchCommand.fmt(mins) + "min";
        if (!Files.isDirectory(cacheDir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(cacheDir)) {
            for (Path d : s.sorted().toList()) {
                String f = d.getFileName().toString();
                if (f.startsWith(name + "-") && f.endsWith(suffix)) {
                    try {
                        int m = Integer.parseInt(f.substring(name.length() + 1, f.length() - suffix.length()));
                        if (m >= n && audioFiles(d).size() >= n) {
                            return d;
                        }
                    } catch (NumberFormatException e) {
                        // not one of ours
                    }
                }
            }
        }
        return null;
    }

    /** {@code ../../trainer/<build dir>/trainer.jar} seen from host-demo.jar in {@code host-demo/<build dir>/}. */
    static Path defaultTrainerJar() {
        try {
            Path jar = Path.of(HostCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path buildDir = jar.getParent();
            return buildDir.getParent().getParent().resolve("trainer").resolve(buildDir.getFileName()).resolve("trainer.jar");
        } catch (Exception e) {
            return Path.of("trainer.jar");
        }
    }

    /** The track length a corpus folder's manifest records, else {@code fallback}. */
    static double minutesOf(Path dir, double fallback) {
        Path manifest = dir.resolve("corpus.properties");
        if (Files.isRegularFile(manifest)) {
            try {
                Properties p = new Properties();
                try (var r = Files.newBufferedReader(manifest)) {
                    p.load(r);
                }
                return Double.parseDouble(p.getProperty("minutes", Double.toString(fallback)));
            } catch (IOException | NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    static List<Path> audioFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && !n.endsWith(".properties") && Files.isRegularFile(p);
            }).sorted().toList();
        }
    }

    static void copyTree(Path from, Path to, int limit) throws IOException {
        Files.createDirectories(to);
        for (Path f : audioFiles(from).stream().limit(limit).toList()) {
            Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
