package org.genretagger.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.genretagger.api.Analysis;
import org.genretagger.api.AudioCheck;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.api.TagPolicy;
import org.genretagger.api.TrackResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures what a library owner cares about: how fast a collection is tagged, how much memory it
 * takes, how long the plugin needs to start. Builds its own corpus of synthetic music-like tracks
 * (through the trainer's {@code corpus} command, in a child process, so that this JVM loads FFmpeg
 * only once, inside the plugin), then retags a copy of it through PF4J exactly as a host does, with
 * tag writes, and prints throughput, time per stage and peak RSS.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the plugin as a host uses it: start-up, then a full retag (tags written into a copy) of a "
                + "synthetic corpus of 4-minute 44.1 kHz stereo MP3s and a FLAC/M4A mix; prints tracks/s, audio seconds "
                + "per wall second, seconds per stage, peak RSS.",
            "--memory instead compares the peak RSS of a 4-minute and a 2-hour track (child JVMs) and samples RSS over "
                + "a long run.",
            "The corpus is built once by trainer.jar corpus and cached."})
final class BenchCommand extends HostCli.HostCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--tracks", defaultValue = "100", paramLabel = "N", description = "MP3 tracks in the corpus (default ${DEFAULT-VALUE})")
    int tracks;

    @Option(names = "--mix", defaultValue = "20", paramLabel = "N", description = "FLAC/M4A tracks in a second set, 0 for none (default ${DEFAULT-VALUE})")
    int mix;

    @Option(names = "--minutes", defaultValue = "4", paramLabel = "M", description = "track length (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--analysis", paramLabel = "full|sample:N[,...]",
            description = "windows classified per track (default: the model's); several, comma-separated, run one after the other")
    String analysis;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "worker threads (default: one per core)")
    int threads;

    @Option(names = "--dry-run", description = "classify only, write no tags")
    boolean dryRun;

    @Option(names = "--verify", defaultValue = "packets", paramLabel = "packets|decode[,...]",
            description = "how writes prove the audio unchanged (default ${DEFAULT-VALUE}); several, comma-separated, run one after the other")
    String verify;

    @Option(names = "--corpus", paramLabel = "DIR", description = "benchmark these tracks instead of the generated MP3 set "
            + "(a folder written by trainer.jar corpus, or any folder with --minutes telling the track length)")
    Path corpus;

    @Option(names = "--cache", paramLabel = "DIR", description = "where generated corpora are kept (default: ~/.cache/genre-tagger/bench)")
    Path cache;

    @Option(names = "--work", paramLabel = "DIR", description = "where the copies being retagged go (default: a temporary folder, deleted after)")
    Path work;

    @Option(names = "--trainer-jar", paramLabel = "JAR", description = "the trainer that writes corpora (default: ../../trainer/<build dir>/trainer.jar from host-demo.jar)")
    Path trainerJar;

    @Option(names = "--memory", description = "memory mode: peak RSS of a 4-minute against a 2-hour track, and RSS over a long run")
    boolean memory;

    @Option(names = "--long-run", defaultValue = "1000", paramLabel = "N", description = "tracks in the memory mode's long run, 0 to skip (default ${DEFAULT-VALUE})")
    int longRun;

    @Option(names = "--long-minutes", defaultValue = "0.5", paramLabel = "M", description = "track length in the long run (default ${DEFAULT-VALUE})")
    double longMinutes;

    @Option(names = "--long-file-minutes", defaultValue = "120", paramLabel = "M", description = "the long file of the memory mode (default ${DEFAULT-VALUE})")
    double longFileMinutes;

    /** Internal: runs one measured retag in this JVM and prints machine-readable lines (memory mode's child). */
    @Option(names = "--child", hidden = true, paramLabel = "DIR")
    Path child;

    /** Internal: only loads the plugin and the model in this (fresh) JVM and prints how long it took. */
    @Option(names = "--child-startup", hidden = true)
    boolean childStartup;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (childStartup) {
            long t0 = System.nanoTime();
            try (PluginHost host = host()) {
                host.classifier().modelInfo();
                long t1 = System.nanoTime();
                double fromJvm = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
                out.printf(Locale.ROOT, "STARTUP seconds=%.3f fromJvmStart=%.3f ompThreads=%s%n", (t1 - t0) / 1e9, fromJvm,
                        System.getProperty("genretagger.mxnet.ompThreads", "?"));
                out.flush();
            }
            return HostCli.OK;
        }
        if (child != null) {
            return runChild();
        }
        List<Analysis> runs = new ArrayList<>();
        if (analysis == null) {
            runs.add(null);
        } else {
            for (String x : analysis.split(",")) {
                runs.add(Analysis.parse(x));
            }
        }
        Path cacheDir = cache != null ? cache : Path.of(System.getProperty("user.home"), ".cache", "genre-tagger", "bench");
        if (memory) {
            return runMemory(cacheDir);
        }
        long commandStart = System.nanoTime();
        List<CorpusSet> sets = new ArrayList<>();
        if (corpus != null) {
            sets.add(new CorpusSet("given corpus", corpus, minutesOf(corpus, minutes), Integer.MAX_VALUE));
        } else {
            sets.add(new CorpusSet(String.format(Locale.ROOT, "%d x %s min MP3 44.1 kHz stereo", tracks, fmt(minutes)),
                    ensureCorpus(cacheDir, "mp3", tracks, minutes, "mp3"), minutes, tracks));
            if (mix > 0) {
                sets.add(new CorpusSet(String.format(Locale.ROOT, "%d x %s min FLAC/M4A(AAC)/M4A(ALAC)", mix, fmt(minutes)),
                        ensureCorpus(cacheDir, "mix", mix, minutes, "flac,m4a,alac"), minutes, mix));
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "machine: %d cores, java %s, max heap %d MB%n", cores, System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        out.flush();
        // Start-up in a fresh JVM, as a user meets it (the plugin folder already unpacked by an earlier load).
        runChildJvm(null, "default");
        for (int i = 0; i < 3; i++) {
            for (String l : runChildJvm(null, "default")) {
                if (l.startsWith("STARTUP ")) {
                    Properties p = parse(l.substring(8));
                    out.printf(Locale.ROOT, "start-up (fresh JVM, run %d): plugin loaded and model ready in %s s, %s s after the JVM started%n",
                            i + 1, p.getProperty("seconds"), p.getProperty("fromJvmStart"));
                }
            }
        }
        out.flush();
        Path workDir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("genre-bench");
        try {
            long t0 = System.nanoTime();
            try (PluginHost host = host()) {
                ModelInfo info = host.classifier().modelInfo();
                long t1 = System.nanoTime();
                out.printf(Locale.ROOT, "start-up (this JVM): plugin loaded and model ready in %.2f s; model %s %s, "
                        + "MXNet OpenMP threads %s%n", (t1 - t0) / 1e9, info.name(), info.version(),
                        System.getProperty("genretagger.mxnet.ompThreads", "?"));
                out.printf(Locale.ROOT, "workers: %s, %s%n", threads > 0 ? threads : cores + " (one per core)",
                        dryRun ? "dry run (no tag writes)" : "tags written (policy replace, min confidence 0, journal in the work folder)");
                out.flush();
                int run = 0;
                String defaultName = "model default (" + defaultWindows(host, sets) + " windows per track)";
                List<AudioCheck> checks = dryRun ? List.of(AudioCheck.PACKETS)
                        : java.util.Arrays.stream(verify.split(",")).map(AudioCheck::parse).toList();
                for (Analysis a : runs) {
                    for (AudioCheck check : checks) {
                        for (CorpusSet s : sets) {
                            Path copy = workDir.resolve("run-" + run);
                            copyTree(s.dir, copy, s.count);
                            RetagReport r = retag(host, copy, a, check, workDir.resolve("journal-" + run + ".jsonl"), null);
                            printRun(s, (a != null ? a.toString() : defaultName) + (dryRun ? "" : ", verify " + check), r);
                            deleteTree(copy);
                            run++;
                        }
                    }
                }
            }
        } finally {
            if (work == null) {
                deleteTree(workDir);
            }
        }
        out.printf(Locale.ROOT, "total bench time %.1f s%n", (System.nanoTime() - commandStart) / 1e9);
        out.flush();
        return HostCli.OK;
    }

    private record CorpusSet(String name, Path dir, double minutes, int count) {}

    private RetagReport retag(PluginHost host, Path root, Analysis a, AudioCheck check, Path journal, RetagListener listener) {
        RetagRequest request = RetagRequest.builder(root)
                .dryRun(dryRun)
                .verify(check)
                .policy(TagPolicy.REPLACE)
                .minConfidence(0.0)
                .threads(threads)
                .journal(dryRun ? null : journal)
                .analysis(a)
                .build();
        return host.tagger().retag(request, listener);
    }

    /** The model's default analysis, as windows per track: classifies one track of the first set and counts them. */
    private String defaultWindows(PluginHost host, List<CorpusSet> sets) {
        try {
            List<Path> files = audioFiles(sets.get(0).dir);
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
        out.printf(Locale.ROOT, "  outcomes: %s%n", r.counts());
        r.results().stream().filter(t -> t.outcome() == org.genretagger.api.Outcome.FAILED).limit(3)
                .forEach(t -> out.println("    failed: " + t.message()));
        Map<String, Long> status = procStatus();
        out.printf(Locale.ROOT, "  peak RSS so far (VmHWM): %d MB, now (VmRSS): %d MB%n", status.getOrDefault("VmHWM", -1L) >> 10,
                status.getOrDefault("VmRSS", -1L) >> 10);
        out.flush();
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

    // ---- memory mode ----

    private int runMemory(Path cacheDir) throws Exception {
        Path shortDir = ensureCorpus(cacheDir, "mem-short", 1, minutes, "mp3");
        Path longDir = ensureCorpus(cacheDir, "mem-long", 1, longFileMinutes, "mp3");
        List<String> analyses = analysis != null ? List.of(analysis.split(",")) : List.of("default", "full");
        out.println("memory: each measurement is a fresh JVM that loads the plugin and retags (tags written) one copy of the file");
        for (String an : analyses) {
            long a = childPeak(shortDir, an);
            long b = childPeak(longDir, an);
            out.printf(Locale.ROOT, "  analysis %-8s peak RSS: %s-min track %d MB, %s-min track %d MB: %+.1f %%%n", an, fmt(minutes), a >> 10,
                    fmt(longFileMinutes), b >> 10, 100.0 * (b - a) / a);
            out.flush();
        }
        if (longRun > 0) {
            Path base = ensureCorpus(cacheDir, "long-base", 20, longMinutes, "mp3");
            Path work0 = work != null ? Files.createDirectories(work) : Files.createTempDirectory("genre-bench");
            Path many = work0.resolve("long-run");
            try {
                List<Path> files = audioFiles(base);
                Files.createDirectories(many);
                for (int i = 0; i < longRun; i++) {
                    Path src = files.get(i % files.size());
                    Path dst = many.resolve(String.format(Locale.ROOT, "%05d-%s", i, src.getFileName()));
                    Files.copy(src, dst);
                }
                out.printf(Locale.ROOT, "long run: %d tracks of %s min (copies of %d distinct ones), RSS sampled every second and every 100 tracks%n",
                        longRun, fmt(longMinutes), files.size());
                out.flush();
                List<String> lines = runChildJvm(many, analyses.get(0));
                List<long[]> samples = new ArrayList<>();
                for (String l : lines) {
                    if (l.startsWith("RSS ")) {
                        Properties p = parse(l.substring(4));
                        samples.add(new long[] {Long.parseLong(p.getProperty("tracks")), Long.parseLong(p.getProperty("rssKb")),
                            Long.parseLong(p.getProperty("ms"))});
                    } else if (l.startsWith("RESULT ")) {
                        out.println("  " + l.substring(7));
                    }
                }
                if (samples.size() >= 2) {
                    long[] first = samples.stream().filter(x -> x[0] >= longRun / 10).findFirst().orElse(samples.get(0));
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
            } finally {
                if (work == null) {
                    deleteTree(work0);
                } else {
                    deleteTree(many);
                }
            }
        }
        out.flush();
        return HostCli.OK;
    }

    private long childPeak(Path dir, String an) throws Exception {
        Path tmp = Files.createTempDirectory("genre-bench-mem");
        try {
            copyTree(dir, tmp.resolve("in"), 1);
            for (String l : runChildJvm(tmp.resolve("in"), an)) {
                if (l.startsWith("RESULT ")) {
                    Properties p = parse(l.substring(7));
                    if (!"0".equals(p.getProperty("failed"))) {
                        throw new IllegalStateException("the child run failed: " + l);
                    }
                    return Long.parseLong(p.getProperty("vmhwmKb"));
                }
            }
            throw new IllegalStateException("the child JVM printed no result");
        } finally {
            deleteTree(tmp);
        }
    }

    /** Runs {@code bench --child DIR} in a fresh JVM with this JVM's options; returns its output lines. */
    private List<String> runChildJvm(Path dir, String an) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(HostCli.class.getName());
        cmd.add("bench");
        if (dir == null) {
            cmd.add("--child-startup");
        } else {
            cmd.add("--child");
            cmd.add(dir.toString());
        }
        if (!"default".equals(an)) {
            cmd.add("--analysis");
            cmd.add(an);
        }
        if (pluginsDir != null) {
            cmd.add("--plugins-dir");
            cmd.add(pluginsDir.toString());
        } else {
            cmd.add("--plugins-dir");
            cmd.add(PluginHost.defaultDir().toString());
        }
        if (threads > 0) {
            cmd.add("--threads");
            cmd.add(Integer.toString(threads));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                lines.add(l);
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("child JVM exited with " + rc + ": " + String.join(" | ", lines));
        }
        return lines;
    }

    /** The child: retag DIR (tags written), sampling RSS; prints RSS lines and a RESULT line. */
    private int runChild() throws Exception {
        Analysis a = analysis != null ? Analysis.parse(analysis) : null;
        Path journalDir = Files.createTempDirectory("genre-bench-journal");
        long start = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    synchronized (out) {
                        out.printf(Locale.ROOT, "RSS tracks=%d rssKb=%d ms=%d%n", done.get(), procStatus("VmRSS"), (System.nanoTime() - start) / 1_000_000);
                        out.flush();
                    }
                }
            } catch (InterruptedException e) {
                // stop
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        RetagReport r;
        try (PluginHost host = host()) {
            host.classifier().modelInfo();
            r = retag(host, child, a, AudioCheck.parse(verify.split(",")[0]), journalDir.resolve("journal.jsonl"), new RetagListener() {
                @Override
                public void trackFinished(TrackResult result) {
                    int n = done.incrementAndGet();
                    if (n % 100 == 0) {
                        synchronized (out) {
                            // ms=-1 marks the per-100-tracks samples
                            out.printf(Locale.ROOT, "RSS tracks=%d rssKb=%d ms=-1%n", n, procStatus("VmRSS"));
                            out.flush();
                        }
                    }
                }
            });
        } finally {
            sampler.interrupt();
            deleteTree(journalDir);
        }
        int failed = (int) r.results().stream().filter(t -> t.outcome() == org.genretagger.api.Outcome.FAILED).count();
        Map<String, Long> status = procStatus();
        synchronized (out) {
            out.printf(Locale.ROOT, "RESULT tracks=%d failed=%d seconds=%.1f vmhwmKb=%d rssKb=%d%n", r.results().size(), failed,
                    r.elapsed().toNanos() / 1e9, status.getOrDefault("VmHWM", -1L), status.getOrDefault("VmRSS", -1L));
            out.flush();
        }
        return HostCli.OK;
    }

    // ---- corpus ----

    /** A cached corpus folder, written by the trainer in a child process when missing or incomplete. */
    private Path ensureCorpus(Path cacheDir, String name, int n, double mins, String formats) throws IOException, InterruptedException {
        Path dir = cacheDir.resolve(String.format(Locale.ROOT, "%s-%dx%smin", name, n, fmt(mins)));
        if (audioFiles(dir).size() >= n) {
            return dir;
        }
        // A larger cached corpus of the same kind serves too: its first n tracks are the same music.
        String suffix = "x" + fmt(mins) + "min";
        if (Files.isDirectory(cacheDir)) {
            try (Stream<Path> s = Files.list(cacheDir)) {
                for (Path d : s.sorted().toList()) {
                    String f = d.getFileName().toString();
                    if (f.startsWith(name + "-") && f.endsWith(suffix)) {
                        try {
                            int m = Integer.parseInt(f.substring(name.length() + 1, f.length() - suffix.length()));
                            if (m >= n && audioFiles(d).size() >= n) {
                                return d;
                            }
                        } catch (NumberFormatException e) {
                            // not one of ours
                        }
                    }
                }
            }
        }
        Path jar = trainerJar != null ? trainerJar : defaultTrainerJar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no trainer at " + jar + " to write the corpus (build it: mvn -pl trainer package, "
                    + "or give --trainer-jar, or --corpus DIR)");
        }
        out.printf(Locale.ROOT, "writing corpus %s with %s (once; cached)%n", dir, jar);
        out.flush();
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(), "corpus",
                "--out", dir.toString(), "--tracks", Integer.toString(n), "--minutes", Double.toString(mins), "--formats", formats,
                "--prefix", name);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("the trainer's corpus command failed (exit " + rc + ")");
        }
        return dir;
    }

    /** {@code ../../trainer/<build dir>/trainer.jar} seen from host-demo.jar in {@code host-demo/<build dir>/}. */
    static Path defaultTrainerJar() {
        try {
            Path jar = Path.of(HostCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path buildDir = jar.getParent();
            return buildDir.getParent().getParent().resolve("trainer").resolve(buildDir.getFileName()).resolve("trainer.jar");
        } catch (Exception e) {
            return Path.of("trainer.jar");
        }
    }

    private static double minutesOf(Path dir, double fallback) {
        Path manifest = dir.resolve("corpus.properties");
        if (Files.isRegularFile(manifest)) {
            try {
                Properties p = new Properties();
                try (var r = Files.newBufferedReader(manifest)) {
                    p.load(r);
                }
                return Double.parseDouble(p.getProperty("minutes", Double.toString(fallback)));
            } catch (IOException | NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    static List<Path> audioFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && !n.endsWith(".properties") && Files.isRegularFile(p);
            }).sorted().toList();
        }
    }

    // ---- helpers ----

    /**
     * @param key a field of /proc/self/status such as VmHWM or VmRSS
     * @return its value in kB, or -1 where there is no /proc
     */
    static long procStatus(String key) {
        return procStatus().getOrDefault(key, -1L);
    }

    /**
     * One read of /proc/self/status, so that figures taken together come from one snapshot (the
     * kernel computes VmHWM as at least VmRSS within a read, not across two).
     *
     * @return every field whose value is a number (kB for the memory ones); empty where there is no /proc
     */
    static Map<String, Long> procStatus() {
        Map<String, Long> fields = new HashMap<>();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                int colon = l.indexOf(':');
                String[] value = l.substring(colon + 1).trim().split("\\s+");
                if (colon > 0 && value[0].matches("\\d+")) {
                    fields.put(l.substring(0, colon), Long.parseLong(value[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return fields;
    }

    private static Properties parse(String kv) {
        Properties p = new Properties();
        for (String part : kv.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                p.setProperty(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return p;
    }

    private static String fmt(double minutes) {
        return minutes == Math.rint(minutes) ? Long.toString((long) minutes) : Double.toString(minutes);
    }

    private static void copyTree(Path from, Path to, int limit) throws IOException {
        Files.createDirectories(to);
        for (Path f : audioFiles(from).stream().limit(limit).toList()) {
            Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
