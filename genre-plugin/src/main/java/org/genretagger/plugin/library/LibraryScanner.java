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
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the tracks under a folder: files with an audio extension, filtered by include and
 * exclude globs (a pattern without '/' matches the file name anywhere; one with '/' matches the
 * path relative to the root). Symbolic links are skipped unless followed; followed links never
 * lead out of the root and never loop. Temporary copies left by an interrupted run are removed.
 */
final class LibraryScanner {
    /** Extensions taken as tracks; which of them can be tagged is the tag layer's business. */
    static final Set<String> AUDIO = Set.of("mp3", "flac", "ogg", "oga", "opus", "m4a", "m4b", "mp4", "aac", "wav", "wave",
            "aif", "aiff", "aifc", "au", "snd", "wma", "wv", "ape", "mka");

    /**
     * What a scan found.
     *
     * @param tracks the tracks, sorted
     * @param problems one line per folder or link that could not be followed
     * @param removedTemps leftover temporary copies deleted
     */
    record Scan(List<Path> tracks, List<String> problems, List<Path> removedTemps) {}

    private LibraryScanner() {}

    static Scan scan(Path root, List<String> includes, List<String> excludes, boolean followSymlinks) throws IOException {
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
                    return FileVisitResult.CONTINUE; // not following links
                }
                if (SafeTagWriter.isTemp(file)) {
                    Files.deleteIfExists(file);
                    removed.add(file);
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
        return new Scan(tracks, problems, removed);
    }

    static boolean isAudio(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot >= 0 && AUDIO.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
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
