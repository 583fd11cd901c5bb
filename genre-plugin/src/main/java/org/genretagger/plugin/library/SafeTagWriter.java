package org.genretagger.plugin.library;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.genretagger.api.AudioCheck;
import org.genretagger.api.Id3Version;
import org.genretagger.plugin.analysis.AudioDigest;
import org.genretagger.plugin.analysis.StageTimes;
import org.genretagger.plugin.analysis.StageTimes.Stage;
import org.genretagger.plugin.audio.PacketDigest;
import org.genretagger.plugin.tags.GenreTags;

/**
 * Writes genres so that a file is at every moment either exactly as before or exactly as
 * intended: the tags are written into a temporary copy in the same folder, the copy is verified
 * (genres read back, audio identical: by default its packets and decoder setup, see
 * {@link PacketDigest}; with {@link AudioCheck#DECODE} its decoded samples), the original is checked to be unchanged since its
 * tags were read, the change is journalled and forced to disk, and only then does the copy
 * atomically replace the original (rename), keeping its owner, permissions and, on request, its
 * modification time. Extended attributes and ACLs are not carried over.
 *
 * <p>Refused, with the original untouched: read-only files and folders (no write permission, or
 * no write bit at all, which is honoured even for root), files with several hard links (a replace
 * would detach this name from the others), files changed since their tags were read, and anything
 * the file system refuses (full disk, immutable file). Symbolic links are resolved: the file they
 * point to is replaced, the link stays a link.
 *
 * <p>Temporary files, all in the track's folder: our copy {@code .gtmp.<name>}, Jaudiotagger's
 * {@code _gtmp_<name with dots as underscores><digits>.tmp} and the Opus writer's
 * {@code gt-opus-<digits>.tmp}. A crash can leave them behind; {@link #isTemp} recognises them so
 * the next scan removes them.
 */
public final class SafeTagWriter {
    /** Starts the name of our temporary copies: hidden, and keeping the extension last. */
    static final String TEMP_PREFIX = ".gtmp.";

    /** Every name a temporary file of ours (or of the tag libraries working on our copy) can have. */
    private static final List<Pattern> TEMP_NAMES = List.of(
            Pattern.compile("\\.gtmp\\..+"),
            Pattern.compile("_gtmp_.*\\.tmp"),
            Pattern.compile("gt-opus-\\d+\\.tmp"),
            // The names of earlier builds: .<stem>.gtmp.<ext> and Jaudiotagger's _<stem>_gtmp_<ext><digits>.tmp
            Pattern.compile("\\..+\\.gtmp\\.[^.]*"),
            Pattern.compile("_.*_gtmp_[^_]*\\d+\\.tmp"));

    private static final int MAX_NAME_BYTES = 255;

    private final Id3Version id3Version;
    private final String separator;
    private final boolean keepMtime;
    private final int sampleRate;
    private final AudioCheck check;
    private final StageTimes times;
    /** A test's way in between writing the copy and verifying it (to damage it); null otherwise. */
    private final CopyHook beforeVerify;

    /**
     * Told of each step of every write, with the track (for {@code "copy"}: the temporary copy);
     * null normally. Steps: {@code "start"} before the track is checked against its snapshot,
     * {@code "copy"} once the tagged copy is on disk and before it is verified,
     * {@code "journalled"} once the change is journalled and before the replace,
     * {@code "replaced"} once the copy has replaced the track.
     *
     * <p>A seam for tests, which must act at an exact point of a write (change the original while
     * it is being written, stop a child run there to kill it) rather than race a running write
     * with the clock, which a busy machine can lose. Static, because a host reaches the writer
     * only through the plugin's extensions (tests set it through the plugin's class loader).
     */
    static volatile java.util.function.BiConsumer<String, Path> stepHook;

    private static void step(String step, Path file) {
        java.util.function.BiConsumer<String, Path> h = stepHook;
        if (h != null) {
            h.accept(step, file);
        }
    }

    /** Sees the temporary copy after the tags were written into it. */
    @FunctionalInterface
    interface CopyHook {
        void accept(Path copy) throws IOException;
    }

    /**
     * What a file looked like when it was read: a write refuses if the file no longer looks so.
     * The change time catches even a writer that restores the modification time.
     *
     * @param size its size
     * @param mtime its modification time
     * @param ctime its status change time, or null where the platform has none
     * @param fileKey its identity (device and inode), or null
     */
    public record Snapshot(long size, FileTime mtime, Object ctime, Object fileKey) {
        /**
         * @param file a file
         * @return how it looks now
         * @throws IOException if it cannot be read
         */
        public static Snapshot of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Object ctime = null;
            try {
                ctime = Files.getAttribute(file, "unix:ctime");
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // not a Unix file system: size, mtime and identity must do
            }
            return new Snapshot(a.size(), a.lastModifiedTime(), ctime, a.fileKey());
        }
    }

    /**
     * @param id3Version the ID3v2 version for MP3, WAV and AIFF
     * @param separator joins several genres where a format needs one string
     * @param keepMtime keep each file's modification time
     * @param sampleRate the rate the audio is decoded at for {@link AudioCheck#DECODE}
     * @param check how the copy's audio is proved equal to the original's
     * @param times where to add the time of each step; may be null
     */
    public SafeTagWriter(Id3Version id3Version, String separator, boolean keepMtime, int sampleRate, AudioCheck check,
            StageTimes times) {
        this(id3Version, separator, keepMtime, sampleRate, check, times, null);
    }

    SafeTagWriter(Id3Version id3Version, String separator, boolean keepMtime, int sampleRate, AudioCheck check,
            StageTimes times, CopyHook beforeVerify) {
        this.id3Version = Objects.requireNonNull(id3Version);
        this.separator = Objects.requireNonNull(separator);
        this.keepMtime = keepMtime;
        this.sampleRate = sampleRate;
        this.check = Objects.requireNonNull(check);
        this.times = times != null ? times : new StageTimes();
        this.beforeVerify = beforeVerify;
    }

    /**
     * Like {@link #write(Path, List, List, AudioDigest, Journal, Snapshot, Id3Version, FileTime)}
     * without a snapshot (the file is checked to be unchanged during this call only) and in the writer's ID3
     * version.
     */
    public Journal.Change write(Path file, List<String> before, List<String> after, AudioDigest audio, Journal journal)
            throws IOException {
        return write(file, before, after, audio, journal, null, null, null);
    }

    /**
     * @param file the track (a symbolic link is resolved)
     * @param before the genre values it has now
     * @param after the genre values to write (empty removes the genre)
     * @param audio the digest of its decoded audio, or null to compute it here; used by
     *     {@link AudioCheck#DECODE} only
     * @param journal where the change is recorded before the replace
     * @param expected how the file looked when {@code before} and {@code audio} were read; null to
     *     take it at the start of this call
     * @param id3 the ID3v2 version to write, or null for the writer's
     * @param mtime the modification time to give the file, or null for the writer's choice (kept
     *     with {@code keepMtime}, else now)
     * @return the change as journalled
     * @throws IOException with a one-line message naming the file; the original is then untouched
     */
    public Journal.Change write(Path file, List<String> before, List<String> after, AudioDigest audio, Journal journal,
            Snapshot expected, Id3Version id3, FileTime mtime) throws IOException {
        String name = file.getFileName().toString();
        Path real = replaceable(file, name);
        Path dir = real.getParent();
        step("start", real);
        Snapshot original = Snapshot.of(real);
        if (expected != null && !expected.equals(original)) {
            throw new Refused(name + ": changed by something else during the run; left as it is");
        }
        Path tmp = tempFor(real);
        String stage = "reading it";
        long t = System.nanoTime();
        try {
            String shaBefore = sha256(real);
            int id3Before = GenreTags.id3Version(real);
            t = lap(Stage.TAG_HASH, t);
            Object expectedAudio = check == AudioCheck.PACKETS ? PacketDigest.of(real)
                    : audio != null ? audio : AudioDigest.of(real, sampleRate);
            t = lap(Stage.TAG_ORIGINAL_AUDIO, t);
            stage = "making a temporary copy";
            Files.copy(real, tmp, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            t = lap(Stage.TAG_COPY, t);
            stage = "writing the tags";
            GenreTags.writeGenres(tmp, after, id3 != null ? id3 : id3Version, separator);
            t = lap(Stage.TAG_WRITE, t);
            forceToDisk(tmp);
            t = lap(Stage.TAG_FSYNC, t);
            step("copy", tmp);
            if (beforeVerify != null) {
                beforeVerify.accept(tmp);
            }
            stage = "verifying the copy";
            List<String> readBack = GenreTags.readGenres(tmp);
            if (!String.join(separator, readBack).equals(String.join(separator, after))) {
                throw new Refused(name + ": the genres written did not read back (" + readBack + " instead of " + after
                        + "); the file may be damaged; left as it is");
            }
            String changed = audioChange(tmp, expectedAudio);
            if (!changed.isEmpty()) {
                throw new Refused(name + ": the tag write changed the audio: " + changed + "; left as it is");
            }
            int id3After = GenreTags.id3Version(tmp);
            if (!Snapshot.of(real).equals(original)) {
                throw new Refused(name + ": changed by something else during the run; left as it is");
            }
            t = lap(Stage.TAG_VERIFY, t);
            stage = "journalling the change";
            Files.setLastModifiedTime(tmp, mtime != null ? mtime
                    : keepMtime ? original.mtime() : FileTime.fromMillis(System.currentTimeMillis()));
            String shaAfter = sha256(tmp);
            t = lap(Stage.TAG_HASH, t);
            Journal.Change change = new Journal.Change(real, before, after, shaBefore, shaAfter, id3Before, id3After,
                    original.mtime());
            journal.change(change);
            t = lap(Stage.TAG_JOURNAL, t);
            step("journalled", real);
            stage = "replacing the original";
            Files.move(tmp, real, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            t = lap(Stage.TAG_RENAME, t);
            forceToDisk(dir);
            lap(Stage.TAG_FSYNC, t);
            step("replaced", real);
            return change;
        } catch (Refused e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new Refused(name + ": " + stage + " failed: " + reason(e, tmp, real) + "; left as it is", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // reported by the next scan, which removes it
            }
        }
    }

    /**
     * @return the file's real path, when it can be replaced safely: it is still there, it and its
     *     folder are writable, and no other name links to it
     * @throws Refused saying why not
     */
    private static Path replaceable(Path file, String name) throws IOException {
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new Refused(name + ": no longer there; nothing written");
        }
        if (isReadOnly(real)) {
            throw new Refused(name + ": file is read-only; left as it is");
        }
        if (isReadOnly(real.getParent())) {
            throw new Refused(name + ": its folder is read-only, so no safe copy can be made there; left as it is");
        }
        Object links = attribute(real, "unix:nlink");
        if (links instanceof Integer n && n > 1) {
            throw new Refused(name + ": has " + n + " hard links, and replacing it would detach this name from the others; left as it is");
        }
        return real;
    }

    /** @return what differs between the copy's audio and the original's, in words; empty when nothing */
    private String audioChange(Path copy, Object expected) throws IOException {
        if (expected instanceof PacketDigest p) {
            return PacketDigest.of(copy).difference(p);
        }
        return AudioDigest.of(copy, sampleRate).equals(expected) ? "" : "the decoded samples differ";
    }

    private long lap(Stage stage, long since) {
        long now = System.nanoTime();
        times.add(stage, now - since);
        return now;
    }

    /**
     * Read-only as a user means it: no write permission for us, or (honoured even for root, who
     * has write permission everywhere) no write bit at all.
     */
    static boolean isReadOnly(Path p) {
        if (!Files.isWritable(p)) {
            return true;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            return !perms.contains(PosixFilePermission.OWNER_WRITE) && !perms.contains(PosixFilePermission.GROUP_WRITE)
                    && !perms.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    private static Object attribute(Path p, String attr) {
        try {
            return Files.getAttribute(p, attr);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return null;
        }
    }

    /** One line saying why, in the user's terms: our copy is "the temporary copy", not its path. */
    private static String reason(Throwable e, Path tmp, Path real) {
        String r;
        if (e instanceof AccessDeniedException) {
            r = "permission denied";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            r = fse.getReason().toLowerCase(Locale.ROOT);
        } else {
            String m = e.getMessage();
            r = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
            // A tag error names the copy it worked on; say which file it was about instead.
            r = r.replace(tmp.toString() + ": ", "").replace(tmp.toString(), "the temporary copy");
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                String cm = c instanceof FileSystemException f && f.getReason() != null ? f.getReason() : c.getMessage();
                if (cm != null && cm.contains("No space left on device") && !r.contains("No space left on device")) {
                    r += " (no space left on device)";
                    break;
                }
            }
        }
        if (r.contains("operation not permitted")) {
            r += " (is the file or its folder immutable?)";
        }
        return r.replace(real.toString(), real.getFileName().toString()).replaceAll("\\s+", " ").trim();
    }

    /**
     * @param file a track
     * @return the temporary copy's path beside it
     */
    static Path tempFor(Path file) {
        String n = file.getFileName().toString();
        String t = TEMP_PREFIX + n;
        if (t.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            int dot = n.lastIndexOf('.');
            String ext = dot > 0 ? n.substring(dot) : "";
            t = TEMP_PREFIX + HexFormat.of().toHexDigits(n.hashCode()) + ext;
        }
        return file.resolveSibling(t);
    }

    /**
     * @param file a file name
     * @return whether it is a temporary file of ours (or of the tag libraries working on our copy),
     *     which only an interrupted run leaves behind
     */
    static boolean isTemp(Path file) {
        Path n = file.getFileName();
        if (n == null) {
            return false;
        }
        String s = n.toString();
        for (Pattern p : TEMP_NAMES) {
            if (p.matcher(s).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes the temporary files an interrupted run left in one folder (not below it).
     *
     * @param dir a folder
     * @return the files removed
     */
    public static List<Path> cleanTemps(Path dir) {
        List<Path> removed = new java.util.ArrayList<>();
        try (var s = Files.newDirectoryStream(dir, p -> isTemp(p) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
            for (Path p : s) {
                if (Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            }
        } catch (IOException e) {
            // an unreadable folder holds nothing we could have written
        }
        return removed;
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

    /** A refusal whose message is already complete. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
