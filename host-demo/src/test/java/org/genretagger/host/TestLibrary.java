package org.genretagger.host;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;

/** Shared test material: the built plugin, the committed audio fixtures, and readers for checks. */
final class TestLibrary {
    /** Files the fixtures hold: one per supported format. */
    static final List<String> FORMATS = List.of("tone.mp3", "tone.flac", "tone.ogg", "tone.opus", "tone.m4a", "tone-alac.m4a",
            "tone.wav", "tone.aiff", "tone.au", "tone.wma", "tone-22k-mono.wav");

    private TestLibrary() {}

    static Path pluginsDir() {
        return Path.of(System.getProperty("plugins.dir", "target/plugins"));
    }

    static Path fixtures() {
        return Path.of(System.getProperty("fixtures.dir", "../genre-plugin/src/test/resources/audio"));
    }

    /** Loads the built plugin zip the way host-demo does: PF4J in deployment mode. */
    static PluginManager loadPlugins() {
        PluginManager pm = new DefaultPluginManager(pluginsDir());
        pm.loadPlugins();
        pm.startPlugins();
        return pm;
    }

    /**
     * @param dest a folder
     * @return the copies, one file per format
     */
    static List<Path> copyFormats(Path dest) throws IOException {
        Files.createDirectories(dest);
        List<Path> out = new ArrayList<>();
        for (String f : FORMATS) {
            out.add(Files.copy(fixtures().resolve(f), dest.resolve(f)));
        }
        return out;
    }

    /**
     * The genre values a file's tag holds, read with Jaudiotagger; Opus (which Jaudiotagger 3.0.1
     * cannot read) by its Vorbis comments, parsed from the raw bytes.
     */
    static List<String> readGenres(Path file) throws Exception {
        if (file.toString().endsWith(".opus")) {
            return opusGenres(Files.readAllBytes(file));
        }
        Tag tag = AudioFileIO.read(file.toFile()).getTag();
        return tag == null ? List.of() : tag.getAll(FieldKey.GENRE);
    }

    private static List<String> opusGenres(byte[] b) {
        List<String> out = new ArrayList<>();
        String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = s.indexOf("OpusTags");
        if (at < 0) {
            return out;
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, at + 8, b.length - at - 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int vendor = buf.getInt();
        buf.position(buf.position() + vendor);
        int n = buf.getInt();
        for (int i = 0; i < n; i++) {
            int len = buf.getInt();
            byte[] c = new byte[len];
            buf.get(c);
            String comment = new String(c, java.nio.charset.StandardCharsets.UTF_8);
            if (comment.regionMatches(true, 0, "GENRE=", 0, 6)) {
                out.add(comment.substring(6));
            }
        }
        return out;
    }

    /** Decodes through the plugin's own decoder, reached via the plugin's class loader. */
    static float[] decode(PluginManager pm, Path file) throws Exception {
        ClassLoader cl = pm.getPluginClassLoader("genre-plugin");
        Class<?> decoder = cl.loadClass("org.genretagger.plugin.audio.AudioDecoder");
        try {
            return (float[]) decoder.getMethod("decodeAll", Path.class, int.class).invoke(null, file, 22050);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    /**
     * Sets (or with null clears) the plugin's {@code SafeTagWriter.stepHook}, reached through the
     * plugin's class loader: told of each step of every write, so that a test acts at an exact
     * point of a write instead of racing it.
     */
    static void setWriteStepHook(PluginManager pm, java.util.function.BiConsumer<String, Path> hook) {
        try {
            Class<?> writer = pm.getPluginClassLoader("genre-plugin").loadClass("org.genretagger.plugin.library.SafeTagWriter");
            java.lang.reflect.Field f = writer.getDeclaredField("stepHook");
            f.setAccessible(true);
            f.set(null, hook);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the plugin's SafeTagWriter has no stepHook", e);
        }
    }

    /**
     * Writes genres with the plugin's own tag writer (reached through its class loader): test
     * setup, for formats Jaudiotagger 3.0.1 cannot write (Opus) as for the others.
     */
    static void writeGenres(PluginManager pm, Path file, List<String> genres, org.genretagger.api.Id3Version version)
            throws Exception {
        ClassLoader cl = pm.getPluginClassLoader("genre-plugin");
        Class<?> tags = cl.loadClass("org.genretagger.plugin.tags.GenreTags");
        try {
            tags.getMethod("writeGenres", Path.class, List.class, org.genretagger.api.Id3Version.class, String.class)
                    .invoke(null, file, genres, version, "; ");
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    /**
     * The ID3v2 minor version (2, 3, 4) of an MP3, WAV or AIFF file's ID3 tag, read with
     * Jaudiotagger; 0 if it has none or is another format.
     */
    static int id3Version(Path file) throws Exception {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!(n.endsWith(".mp3") || n.endsWith(".wav") || n.endsWith(".aiff") || n.endsWith(".aif"))) {
            return 0;
        }
        org.jaudiotagger.audio.AudioFile af = AudioFileIO.read(file.toFile());
        org.jaudiotagger.tag.id3.AbstractID3v2Tag tag = null;
        if (af instanceof org.jaudiotagger.audio.mp3.MP3File mp3) {
            tag = mp3.getID3v2Tag();
        } else if (af.getTag() instanceof org.jaudiotagger.tag.wav.WavTag wav && wav.isExistingId3Tag()) {
            tag = wav.getID3Tag();
        } else if (af.getTag() instanceof org.jaudiotagger.tag.aiff.AiffTag aiff && aiff.isExistingId3Tag()) {
            tag = aiff.getID3Tag();
        }
        return tag == null ? 0 : tag.getMajorVersion();
    }

    /**
     * Whether a name is one of the temporary files a write makes beside a track (independent of
     * the plugin's own list): its copy {@code .gtmp.NAME}, Jaudiotagger's {@code _gtmp_*.tmp} made
     * while writing that copy, the Opus writer's {@code gt-opus-*.tmp}.
     */
    static boolean isTempName(String name) {
        return name.startsWith(".gtmp.") || name.startsWith("_gtmp_") && name.endsWith(".tmp")
                || name.matches("gt-opus-\\d+\\.tmp");
    }

    /** Copies a folder tree (regular files and folders only). */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** What a host-demo command printed and returned. */
    record CliRun(int exit, String out) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    /** Runs a host-demo command in this JVM against the built plugin, capturing standard output. */
    static CliRun runCli(String... args) {
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.add("--plugins-dir");
            all.add(pluginsDir().toString());
            int exit = HostCli.execute(all.toArray(String[]::new));
            return new CliRun(exit, buf.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
