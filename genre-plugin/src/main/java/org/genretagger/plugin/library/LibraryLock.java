package org.genretagger.plugin.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Properties;
import org.genretagger.api.LibraryBusyException;

/**
 * One writing run per library root at a time: an OS file lock on
 * {@code $XDG_STATE_HOME/genre-tagger/locks/<hash of the root's real path>.lock} (by default under
 * {@code ~/.local/state}). The file holds the holder's pid, start time and command line, so a
 * second run can say who holds it. The OS releases the lock when the holder ends in any way,
 * {@code kill -9} included, so a stale file never blocks; the file itself is left in place (deleting
 * it could let two runs lock two different files).
 */
public final class LibraryLock implements AutoCloseable {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final FileChannel channel;
    private final FileLock lock;

    private LibraryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of a library root or fails at once.
     *
     * @param root the library root (a folder or a single file)
     * @return the lock; close it when the run ends
     * @throws LibraryBusyException if another run holds it
     * @throws IOException if the lock file cannot be made
     */
    public static LibraryLock acquire(Path root) throws IOException {
        Path real = realPath(root);
        Path file = lockFile(real);
        Files.createDirectories(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by another run in this same process
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            String holder = holder(ch);
            ch.close();
            throw new LibraryBusyException(real, real + " is being retagged by another run (" + holder + "); try again when it has finished");
        }
        try {
            ProcessHandle self = ProcessHandle.current();
            Properties p = new Properties();
            p.setProperty("pid", Long.toString(self.pid()));
            p.setProperty("started", self.info().startInstant().orElse(Instant.now()).toString());
            p.setProperty("command", self.info().arguments().map(LibraryLock::commandLine).orElse("java"));
            p.setProperty("root", real.toString());
            java.io.StringWriter w = new java.io.StringWriter();
            p.store(w, "genre-tagger library lock: held while this run writes; released by the OS when it ends");
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(w.toString().getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
        } catch (IOException e) {
            // the lock holds without its description; a second run then names no details
        }
        return new LibraryLock(ch, l);
    }

    /** The lock file of a root: keyed by its real path, so every spelling of it meets in one file. */
    static Path lockFile(Path realRoot) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(realRoot.toString().getBytes(StandardCharsets.UTF_8));
            return stateDir().resolve("locks").resolve(HexFormat.of().formatHex(h, 0, 16) + ".lock");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code $XDG_STATE_HOME/genre-tagger}, by default {@code ~/.local/state/genre-tagger}. */
    static Path stateDir() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("genre-tagger");
    }

    /** The command line, short enough to read: "java" for the JVM's path, and no class path. */
    static String commandLine(String[] args) {
        StringBuilder sb = new StringBuilder("java");
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("-cp") || args[i].equals("-classpath") || args[i].equals("--class-path")) && i + 1 < args.length) {
                i++;
                continue;
            }
            sb.append(' ').append(args[i]);
        }
        return sb.toString();
    }

    private static Path realPath(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root.toAbsolutePath().normalize();
        }
    }

    /** Who holds the lock, in one line, from what it wrote into the file. */
    private static String holder(FileChannel ch) {
        try {
            long size = Math.min(ch.size(), 64 * 1024);
            ByteBuffer b = ByteBuffer.allocate((int) size);
            ch.read(b, 0);
            Properties p = new Properties();
            p.load(new java.io.StringReader(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8)));
            String pid = p.getProperty("pid");
            if (pid == null) {
                return "which has not said who it is yet";
            }
            StringBuilder sb = new StringBuilder("pid ").append(pid);
            String started = p.getProperty("started");
            if (started != null) {
                try {
                    sb.append(", started ").append(WHEN.format(Instant.parse(started)));
                } catch (java.time.format.DateTimeParseException e) {
                    sb.append(", started ").append(started);
                }
            }
            String cmd = p.getProperty("command");
            if (cmd != null && !cmd.isBlank()) {
                sb.append(": ").append(cmd.length() > 200 ? cmd.substring(0, 200) + "..." : cmd);
            }
            return sb.toString();
        } catch (IOException | IllegalArgumentException e) {
            return "whose details cannot be read";
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
