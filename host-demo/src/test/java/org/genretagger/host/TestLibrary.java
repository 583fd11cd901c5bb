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

    static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
