package org.genretagger.plugin.library;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.genretagger.api.Id3Version;
import org.genretagger.plugin.analysis.AudioDigest;
import org.genretagger.plugin.tags.GenreTags;

/**
 * Writes genres so that a file is at every moment either exactly as before or exactly as
 * intended: the tags are written into a temporary copy in the same folder, the copy is verified
 * (genres read back, decoded audio identical), the change is journalled and forced to disk, and
 * only then does the copy atomically replace the original, keeping its permissions.
 */
public final class SafeTagWriter {
    /** Marks our temporary copies: {@code .<stem>.gtmp.<ext>}, hidden and keeping the extension last. */
    static final String TEMP_MARK = ".gtmp.";

    private final Id3Version id3Version;
    private final String separator;
    private final boolean keepMtime;
    private final int sampleRate;

    /**
     * @param id3Version the ID3v2 version for MP3, WAV and AIFF
     * @param separator joins several genres where a format needs one string
     * @param keepMtime keep each file's modification time
     * @param sampleRate the rate the audio is decoded at for verification
     */
    public SafeTagWriter(Id3Version id3Version, String separator, boolean keepMtime, int sampleRate) {
        this.id3Version = id3Version;
        this.separator = separator;
        this.keepMtime = keepMtime;
        this.sampleRate = sampleRate;
    }

    /**
     * @param file the track
     * @param before the genre values it has now
     * @param after the genre values to write (empty removes the genre)
     * @param audio the digest of its decoded audio, or null to compute it here
     * @param journal where the change is recorded before the replace
     * @throws IOException with a one-line message naming the file; the original is then untouched
     */
    public void write(Path file, List<String> before, List<String> after, AudioDigest audio, Journal journal) throws IOException {
        String name = file.getFileName().toString();
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isWritable(file)) {
            throw new IOException(name + ": file is read-only; left as it is");
        }
        if (!Files.isWritable(dir)) {
            throw new IOException(name + ": its folder is read-only, so no safe copy can be made there; left as it is");
        }
        BasicFileAttributes original = Files.readAttributes(file, BasicFileAttributes.class);
        String shaBefore = sha256(file);
        AudioDigest expected = audio != null ? audio : AudioDigest.of(file, sampleRate);
        Path tmp = tempFor(file);
        try {
            Files.copy(file, tmp, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
            GenreTags.writeGenres(tmp, after, id3Version, separator);
            forceToDisk(tmp);
            List<String> readBack = GenreTags.readGenres(tmp);
            if (!String.join(separator, readBack).equals(String.join(separator, after))) {
                throw new IOException(name + ": genres read back as " + readBack + " instead of " + after + "; left as it is");
            }
            if (!AudioDigest.of(tmp, sampleRate).equals(expected)) {
                throw new IOException(name + ": the tag write changed the decoded audio; left as it is");
            }
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
            if (now.size() != original.size() || !now.lastModifiedTime().equals(original.lastModifiedTime())) {
                throw new IOException(name + ": changed by something else during the run; left as it is");
            }
            Files.setLastModifiedTime(tmp, keepMtime ? original.lastModifiedTime() : FileTime.fromMillis(System.currentTimeMillis()));
            journal.change(new Journal.Change(file.toAbsolutePath(), before, after, shaBefore, sha256(tmp)));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceToDisk(dir);
        } catch (AccessDeniedException e) {
            throw new IOException(name + ": permission denied (" + e.getFile() + "); left as it is", e);
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new IOException(name + ": " + reason.toLowerCase(Locale.ROOT) + "; left as it is", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @param file a track
     * @return the temporary copy's path beside it
     */
    static Path tempFor(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String stem = dot > 0 ? n.substring(0, dot) : n;
        String ext = dot > 0 ? n.substring(dot + 1) : "";
        return file.resolveSibling("." + stem + TEMP_MARK + ext);
    }

    /**
     * @param file a file name
     * @return whether it is one of our temporary copies, left by an interrupted run
     */
    static boolean isTemp(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".") && n.contains(TEMP_MARK);
    }

    /**
     * @param file any file
     * @return its SHA-256, hex
     * @throws IOException if unreadable
     */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void forceToDisk(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to sync a folder; the rename is still atomic.
        }
    }
}
