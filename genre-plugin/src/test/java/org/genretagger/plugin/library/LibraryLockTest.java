package org.genretagger.plugin.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.genretagger.api.LibraryBusyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writing run per library root, whatever path spells the root; the lock frees on close. */
class LibraryLockTest {

    @Test
    void aSecondRunOnTheSameRootIsRefusedNamingTheHolderUntilTheFirstEnds(@TempDir Path dir) throws Exception {
        Path music = Files.createDirectories(dir.resolve("music"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), music);
        Path other = Files.createDirectories(dir.resolve("other"));
        try (LibraryLock first = LibraryLock.acquire(music)) {
            for (Path spelling : new Path[] {music, link, music.resolve("../music"), music.resolve(".")}) {
                LibraryBusyException e = assertThrows(LibraryBusyException.class, () -> LibraryLock.acquire(spelling), spelling.toString());
                assertEquals(music.toRealPath(), e.root());
                assertTrue(e.getMessage().startsWith(music.toRealPath() + " is being retagged by another run (pid "
                        + ProcessHandle.current().pid() + ", started "), e.getMessage());
                assertTrue(!e.getMessage().contains("\n"), "one line");
            }
            try (LibraryLock unrelated = LibraryLock.acquire(other)) {
                // another library is not blocked
            }
        }
        try (LibraryLock again = LibraryLock.acquire(link)) {
            // free once the first run ended
        }
    }

    @Test
    void theCommandLineLeavesOutTheClassPath() {
        assertEquals("java -Xmx1g org.x.Main retag /music",
                LibraryLock.commandLine(new String[] {"-cp", "/a.jar:/b.jar", "-Xmx1g", "org.x.Main", "retag", "/music"}));
    }
}
