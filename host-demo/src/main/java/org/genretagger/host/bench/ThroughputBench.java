package org.genretagger.host.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.genretagger.api.Analysis;
import org.genretagger.api.AudioCheck;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.RetagReport;
import org.genretagger.host.HostCli;
import org.genretagger.host.PluginHost;

/**
 * The throughput bench: start-up in fresh JVMs and in this one, then a full retag of a copy of
 * each corpus set for every analysis and write check asked for, with tracks/s, time per stage and
 * peak RSS.
 */
final class ThroughputBench {
    private final BenchCommand options;
    private final Corpus corpora;
    private final PrintWriter out;

    /** A set of tracks retagged in one measured run. */
    private record CorpusSet(String name, Path dir, double minutes, int count) {}

    ThroughputBench(BenchCommand options, Corpus corpora) {
        this.options = options;
        this.corpora = corpora;
        this.out = options.out;
    }

    int run() throws Exception {
        long commandStart = System.nanoTime();
        List<CorpusSet> sets = sets();
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "machine: %d cores, java %s, max heap %d MB%n", cores, System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        out.flush();
        printFreshStartUps();
        Path workDir = options.work != null ? Files.createDirectories(options.work) : Files.createTempDirectory("genre-bench");
        try {
            long t0 = System.nanoTime();
            try (PluginHost host = options.plugins()) {
                ModelInfo info = host.classifier().modelInfo();
                long t1 = System.nanoTime();
                out.printf(Locale.ROOT, "start-up (this JVM): plugin loaded and model ready in %.2f s; model %s %s, "
                        + "MXNet OpenMP threads %s%n", (t1 - t0) / 1e9, info.name(), info.version(),
                        System.getProperty("genretagger.mxnet.ompThreads", "?"));
                out.printf(Locale.ROOT, "workers: %s, %s%n", options.threads > 0 ? options.threads : cores + " (one per core)",
                        options.dryRun ? "dry run (no tag writes)" : "tags written (policy replace, min confidence 0, journal in the work folder)");
                out.flush();
                runAll(host, sets, workDir);
            }
        } finally {
            if (options.work == null) {
                Corpus.deleteTree(workDir);
            }
        }
        out.printf(Locale.ROOT, "total bench time %.1f s%n", (System.nanoTime() - commandStart) / 1e9);
        out.flush();
        return HostCli.OK;
    }

    /** The given corpus, or the generated MP3 set and the FLAC/M4A mix. */
    private List<CorpusSet> sets() throws Exception {
        List<CorpusSet> sets = new ArrayList<>();
        double minutes = options.minutes;
        if (options.corpus != null) {
            sets.add(new CorpusSet("given corpus", options.corpus, Corpus.minutesOf(options.corpus, minutes), Integer.MAX_VALUE));
        } else {
            sets.add(new CorpusSet(String.format(Locale.ROOT, "%d x %s min MP3 44.1 kHz stereo", options.tracks, BenchCommand.fmt(minutes)),
                    corpora.ensure("mp3", options.tracks, minutes, "mp3"), minutes, options.tracks));
            if (options.mix > 0) {
                sets.add(new CorpusSet(String.format(Locale.ROOT, "%d x %s min FLAC/M4A(AAC)/M4A(ALAC)", options.mix, BenchCommand.fmt(minutes)),
                        corpora.ensure("mix", options.mix, minutes, "flac,m4a,alac"), minutes, options.mix));
            }
        }
        return sets;
    }

    /** Start-up in a fresh JVM, as a user meets it (the plugin folder already unpacked by an earlier load). */
    private void printFreshStartUps() throws Exception {
        ChildJvm child = new ChildJvm(options);
        child.run(null, null);
        for (int i = 0; i < 3; i++) {
            for (String l : child.run(null, null)) {
                if (l.startsWith("STARTUP ")) {
                    Properties p = ChildJvm.fields(l.substring(8));
                    out.printf(Locale.ROOT, "start-up (fresh JVM, run %d): plugin loaded and model ready in %s s, %s s after the JVM started%n",
                            i + 1, p.getProperty("seconds"), p.getProperty("fromJvmStart"));
                }
            }
        }
        out.flush();
    }

    private void runAll(PluginHost host, List<CorpusSet> sets, Path workDir) throws Exception {
        int run = 0;
        String defaultName = "model default (" + defaultWindows(host, sets) + " windows per track)";
        for (Analysis a : options.analyses()) {
            for (AudioCheck check : options.checks()) {
                for (CorpusSet s : sets) {
                    Path copy = workDir.resolve("run-" + run);
                    Corpus.copyTree(s.dir, copy, s.count);
                    RetagReport r = options.retag(host, copy, a, check, workDir.resolve("journal-" + run + ".jsonl"), null);
                    printRun(s, (a != null ? a.toString() : defaultName) + (options.dryRun ? "" : ", verify " + check), r);
                    Corpus.deleteTree(copy);
                    run++;
                }
            }
        }
    }

    /** The model's default analysis, as windows per track: classifies one track of the first set and counts them. */
    private static String defaultWindows(PluginHost host, List<CorpusSet> sets) {
        try {
            List<Path> files = Corpus.audioFiles(sets.get(0).dir);
            return files.isEmpty() ? "?" : Integer.toString(host.classifier().classify(files.get(0), null).windows());
        } catch (Exception e) {
            return "?";
        }
    }

    private void printRun(CorpusSet s, String analysisName, RetagReport r) {
        int n = r.results().size();
        double wall = r.elapsed().toNanos() / 1e9;
        double audio = n * s.minutes * 60;
        out.printf(Locale.ROOT, "%n%s, analysis %s: %d tracks in %.1f s%n", s.name, analysisName, n, wall);
        out.printf(Locale.ROOT, "  throughput: %.2f tracks/s, %.0f audio seconds per wall second (%.0f x real time)%n",
                n / wall, audio / wall, audio / wall);
        out.printf(Locale.ROOT, "  100 000 such tracks would take %.1f h%n", 100_000 / (n / wall) / 3600);
        printStages(r, n);
        out.printf(Locale.ROOT, "  outcomes: %s%n", r.counts());
        r.results().stream().filter(t -> t.outcome() == org.genretagger.api.Outcome.FAILED).limit(3)
                .forEach(t -> out.println("    failed: " + t.message()));
        Map<String, Long> status = Proc.procStatus();
        out.printf(Locale.ROOT, "  peak RSS so far (VmHWM): %d MB, now (VmRSS): %d MB%n", status.getOrDefault("VmHWM", -1L) >> 10,
                status.getOrDefault("VmRSS", -1L) >> 10);
        out.flush();
    }

    private void printStages(RetagReport r, int n) {
        StringBuilder stages = new StringBuilder("  stage seconds, summed over workers:");
        StringBuilder tags = new StringBuilder("  of which tags:");
        double parts = 0;
        for (Map.Entry<String, Double> e : ordered(r.stageSeconds())) {
            boolean part = e.getKey().startsWith("tags/");
            if (part && e.getValue() == 0) {
                continue;
            }
            parts += part ? e.getValue() : 0;
            (part ? tags : stages).append(String.format(Locale.ROOT, " %s %.1f (%.0f ms/track)", part ? e.getKey().substring(5) : e.getKey(),
                    e.getValue(), 1000 * e.getValue() / Math.max(1, n)));
        }
        out.println(stages);
        if (parts > 0) {
            double rest = r.stageSeconds().getOrDefault("tags", 0.0) - parts;
            out.println(tags.append(String.format(Locale.ROOT, " reading the genres first %.1f (%.0f ms/track)", rest,
                    1000 * rest / Math.max(1, n))));
        }
    }

    private static List<Map.Entry<String, Double>> ordered(Map<String, Double> m) {
        List<String> order = List.of("decode", "features", "inference", "tags", "tags/hash", "tags/original-audio", "tags/copy",
                "tags/write", "tags/fsync", "tags/verify", "tags/journal", "tags/rename");
        List<Map.Entry<String, Double>> l = new ArrayList<>(m.entrySet());
        l.sort((x, y) -> Integer.compare(rank(order, x.getKey()), rank(order, y.getKey())));
        return l;
    }

    private static int rank(List<String> order, String k) {
        int i = order.indexOf(k);
        return i < 0 ? order.size() : i;
    }
}
