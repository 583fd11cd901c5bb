package org.genretagger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genretagger.host.bench.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench command on a tiny given corpus: it runs the whole path and reports every figure (values are not checked). */
class BenchCommandTest {

    @Test
    void benchOnAGivenCorpusReportsThroughputStagesStartUpAndMemory(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus");
        TestLibrary.copyFormats(corpus);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = HostCli.execute("bench", "--corpus", corpus.toString(), "--minutes", "0.05", "--work", dir.resolve("work").toString(),
                    "--plugins-dir", TestLibrary.pluginsDir().toString());
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(HostCli.OK, exit, out);
        for (String expected : new String[] {"start-up (fresh JVM, run 1): plugin loaded and model ready in", "tracks/s",
            "audio seconds per wall second", "stage seconds", "decode", "features", "inference", "tags", "peak RSS"}) {
            assertTrue(out.contains(expected), "'" + expected + "' missing from:\n" + out);
        }
        assertTrue(out.contains("TAGGED="), "tags are written: " + out);
        assertTrue(Files.list(corpus).count() > 0 && !Files.exists(dir.resolve("work").resolve("run-0")), "the copy is removed; the corpus kept");
    }

    @Test
    void peakAndCurrentResidentSetAreReadFromProc() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
        // One read: within a read the kernel reports the peak as at least the current figure.
        Map<String, Long> status = Proc.procStatus();
        long hwm = status.get("VmHWM");
        long rss = status.get("VmRSS");
        assertTrue(rss > 0 && hwm >= rss, hwm + " " + rss);
        assertEquals(-1, Proc.procStatus("NoSuchField"));
    }
}
