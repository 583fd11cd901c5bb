package org.genretagger.host.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.genretagger.api.Analysis;
import org.genretagger.host.HostCli;

/**
 * The memory bench: the peak RSS of a short against a long track, each retagged in a fresh JVM,
 * and RSS sampled over a long run of short tracks.
 */
final class MemoryBench {
    private final BenchCommand options;
    private final Corpus corpora;
    private final PrintWriter out;

    MemoryBench(BenchCommand options, Corpus corpora) {
        this.options = options;
        this.corpora = corpora;
        this.out = options.out;
    }

    int run() throws Exception {
        Path shortDir = corpora.ensure("mem-short", 1, options.minutes, "mp3");
        Path longDir = corpora.ensure("mem-long", 1, options.longFileMinutes, "mp3");
        // null: the model's default analysis
        List<Analysis> analyses = options.analysis != null ? options.analysis : Arrays.asList(null, Analysis.FULL);
        out.println("memory: each measurement is a fresh JVM that loads the plugin and retags (tags written) one copy of the file");
        for (Analysis an : analyses) {
            long a = childPeak(shortDir, an);
            long b = childPeak(longDir, an);
            out.printf(Locale.ROOT, "  analysis %-8s peak RSS: %s-min track %d MB, %s-min track %d MB: %+.1f %%%n",
                    an != null ? an : "default", BenchCommand.fmt(options.minutes), a >> 10,
                    BenchCommand.fmt(options.longFileMinutes), b >> 10, 100.0 * (b - a) / a);
            out.flush();
        }
        if (options.longRun > 0) {
            longRun(analyses.get(0));
        }
        out.flush();
        return HostCli.OK;
    }

    /** Retags many copies of a few short tracks in one child JVM, sampling its RSS. */
    private void longRun(Analysis analysis) throws Exception {
        int count = options.longRun;
        Path base = corpora.ensure("long-base", 20, options.longMinutes, "mp3");
        Path work0 = options.work != null ? Files.createDirectories(options.work) : Files.createTempDirectory("genre-bench");
        Path many = work0.resolve("long-run");
        try {
            List<Path> files = Corpus.audioFiles(base);
            Files.createDirectories(many);
            for (int i = 0; i < count; i++) {
                Path src = files.get(i % files.size());
                Path dst = many.resolve(String.format(Locale.ROOT, "%05d-%s", i, src.getFileName()));
                Files.copy(src, dst);
            }
            out.printf(Locale.ROOT, "long run: %d tracks of %s min (copies of %d distinct ones), RSS sampled every second and every 100 tracks%n",
                    count, BenchCommand.fmt(options.longMinutes), files.size());
            out.flush();
            List<long[]> samples = new ArrayList<>();
            for (String l : new ChildJvm(options).run(many, analysis)) {
                if (l.startsWith("RSS ")) {
                    Properties p = ChildJvm.fields(l.substring(4));
                    samples.add(new long[] {Long.parseLong(p.getProperty("tracks")), Long.parseLong(p.getProperty("rssKb")),
                        Long.parseLong(p.getProperty("ms"))});
                } else if (l.startsWith("RESULT ")) {
                    out.println("  " + l.substring(7));
                }
            }
            printSamples(samples, count);
        } finally {
            Corpus.deleteTree(options.work == null ? work0 : many);
        }
    }

    private void printSamples(List<long[]> samples, int count) {
        if (samples.size() < 2) {
            return;
        }
        long[] first = samples.stream().filter(x -> x[0] >= count / 10).findFirst().orElse(samples.get(0));
        long[] last = samples.get(samples.size() - 1);
        long max = samples.stream().mapToLong(x -> x[1]).max().orElse(0);
        StringBuilder sb = new StringBuilder("  RSS by tracks done:");
        for (long[] x : samples) {
            if (x[0] % 100 == 0 && x[2] < 0) {
                sb.append(String.format(Locale.ROOT, " %d:%d", x[0], x[1] >> 10));
            }
        }
        out.println(sb.append(" (MB)"));
        out.printf(Locale.ROOT, "  RSS after %d tracks %d MB, after %d tracks %d MB (%+.1f %%), highest sample %d MB%n",
                first[0], first[1] >> 10, last[0], last[1] >> 10, 100.0 * (last[1] - first[1]) / first[1], max >> 10);
    }

    /** The peak RSS of a fresh JVM that retags one copy of the first track of a folder. */
    private long childPeak(Path dir, Analysis an) throws Exception {
        Path tmp = Files.createTempDirectory("genre-bench-mem");
        try {
            Corpus.copyTree(dir, tmp.resolve("in"), 1);
            for (String l : new ChildJvm(options).run(tmp.resolve("in"), an)) {
                if (l.startsWith("RESULT ")) {
                    Properties p = ChildJvm.fields(l.substring(7));
                    if (!"0".equals(p.getProperty("failed"))) {
                        throw new IllegalStateException("the child run failed: " + l);
                    }
                    return Long.parseLong(p.getProperty("vmhwmKb"));
                }
            }
            throw new IllegalStateException("the child JVM printed no result");
        } finally {
            Corpus.deleteTree(tmp);
        }
    }
}
