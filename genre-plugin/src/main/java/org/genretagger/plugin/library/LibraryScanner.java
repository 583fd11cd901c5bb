package org.genretagger.plugin.library;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the tracks under a folder: files with an audio extension, filtered by include and
 * exclude globs (a pattern without '/' matches the file name anywhere; one with '/' matches the
 * path relative to the root). Symbolic links are skipped (and counted) unless followed; followed
 * links never lead out of the root and never loop, and a file reachable by several paths is listed
 * once. Temporary files left by an interrupted run ({@link SafeTagWriter#isTemp}) are removed, in
 * every folder walked, whatever the globs say.
 */
public final class LibraryScanner {
    /** Extensions taken as tracks; which of them can be tagged is the tag layer's business. */
    static final Set<String> AUDIO = Set.of("mp3", "flac", "ogg", "oga", "opus", "m4a", "m4b", "mp4", "aac", "wav", "wave",
            "aif", "aiff", "aifc", "au", "snd", "wma", "wv", "ape", "mka");

    /**
     * What a scan found.
     *
     * @param tracks the tracks, sorted
     * @param problems one line per folder or link that could not be followed
     * @param removedTemps leftover temporary files deleted (or, not cleaning, found)
     */
    public record Scan(List<Path> tracks, List<String> problems, List<Path> removedTemps) {}

    private LibraryScanner() {}

    /**
     * @param root the folder (or one file)
     * @param includes globs a track must match one of; empty for all
     * @param excludes globs that rule a track out
     * @param followSymlinks follow links inside root
     * @param clean remove leftover temporary files; when false (a dry run) they are only listed
     * @return what was found
     * @throws IOException if the root cannot be read
     */
    public static Scan scan(Path root, List<String> includes, List<String> excludes, boolean followSymlinks, boolean clean)
            throws IOException {
        List<Path> tracks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            tracks.add(root); // a single file: it gets its own result whatever it is
            return new Scan(tracks, problems, removed);
        }
        Path realRoot = root.toRealPath();
        List<PathMatcher> inc = matchers(includes);
        List<PathMatcher> exc = matchers(excludes);
        int[] linksSkipped = {0};
        Set<FileVisitOption> options = followSymlinks ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : EnumSet.noneOf(FileVisitOption.class);
        Files.walkFileTree(root, options, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (followSymlinks && !dir.toRealPath().startsWith(realRoot)) {
                    problems.add(dir + ": link leads outside " + root + "; not followed");
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) {
                    if (followSymlinks) {
                        problems.add(file + ": broken symbolic link; skipped");
                    } else {
                        linksSkipped[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }
                if (SafeTagWriter.isTemp(file)) {
                    if (attrs.isRegularFile() && !Files.isSymbolicLink(file)) {
                        try {
                            if (clean) {
                                Files.deleteIfExists(file);
                            }
                            removed.add(file);
                        } catch (IOException e) {
                            problems.add(file + ": leftover temporary file of an interrupted run could not be removed ("
                                    + e.getClass().getSimpleName() + "); remove it by hand");
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
                if (followSymlinks && !file.toRealPath().startsWith(realRoot)) {
                    problems.add(file + ": link leads outside " + root + "; not followed");
                    return FileVisitResult.CONTINUE;
                }
                if (isAudio(file) && selected(root.relativize(file), inc, exc)) {
                    tracks.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (e instanceof FileSystemLoopException) {
                    problems.add(file + ": link loops back into a parent folder; not followed");
                } else if (isAudio(file)) {
                    tracks.add(file); // unreadable track: it gets its own failed result
                } else {
                    problems.add(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        tracks.sort(null);
        if (linksSkipped[0] > 0) {
            problems.add(linksSkipped[0] + " symbolic link(s) not followed (use --follow-symlinks to follow links inside " + root + ")");
        }
        return new Scan(followSymlinks ? onePathPerFile(tracks, root, realRoot) : tracks, problems, removed);
    }

    /**
     * Links can make one file reachable by several paths; it must be worked on once, or two
     * workers would write it at the same time. The path without links is kept where there is one.
     */
    private static List<Path> onePathPerFile(List<Path> tracks, Path root, Path realRoot) {
        Map<Path, Path> byReal = new LinkedHashMap<>();
        for (Path t : tracks) {
            Path real;
            try {
                real = t.toRealPath();
            } catch (IOException e) {
                real = t.toAbsolutePath().normalize();
            }
            Path kept = byReal.get(real);
            if (kept == null || isDirect(t, root, realRoot, real) && !isDirect(kept, root, realRoot, real)) {
                byReal.put(real, t);
            }
        }
        List<Path> out = new ArrayList<>(byReal.values());
        out.sort(null);
        return out;
    }

    private static boolean isDirect(Path p, Path root, Path realRoot, Path real) {
        return realRoot.resolve(root.relativize(p)).normalize().equals(real);
    }

    static boolean isAudio(Path file) {
        return AUDIO.contains(extension(file));
    }

    /** @return the file name's extension in lower case, or "" if it has none */
    public static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean selected(Path relative, List<PathMatcher> inc, List<PathMatcher> exc) {
        return (inc.isEmpty() || matchesAny(relative, inc)) && !matchesAny(relative, exc);
    }

    private static boolean matchesAny(Path relative, List<PathMatcher> matchers) {
        for (PathMatcher m : matchers) {
            if (m.matches(relative) || m.matches(relative.getFileName())) {
                return true;
            }
        }
        return false;
    }

    private static List<PathMatcher> matchers(List<String> globs) {
        List<PathMatcher> out = new ArrayList<>();
        for (String g : globs) {
            out.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
        }
        return out;
    }
}
