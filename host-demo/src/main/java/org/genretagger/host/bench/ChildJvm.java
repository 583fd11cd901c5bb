package org.genretagger.host.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.genretagger.api.Analysis;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.TrackResult;
import org.genretagger.host.HostCli;
import org.genretagger.host.PluginHost;

/**
 * A measurement in a fresh JVM: the parent starts {@code bench --child DIR} (or
 * {@code --child-startup}) with this JVM's options and reads the machine-readable lines the child
 * prints ({@code STARTUP}, {@code RSS}, {@code RESULT}, each {@code key=value ...}).
 */
final class ChildJvm {
    private final BenchCommand options;
    private final PrintWriter out;

    ChildJvm(BenchCommand options) {
        this.options = options;
        this.out = options.out;
    }

    /**
     * The parent's side: runs {@code bench --child DIR} in a fresh JVM.
     *
     * @param dir the tracks to retag; null to measure start-up only
     * @param analysis the analysis; null for the model's default
     * @return the child's output lines
     */
    List<String> run(Path dir, Analysis analysis) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HostCli.class.getName(), "bench"));
        if (dir == null) {
            cmd.add("--child-startup");
        } else {
            cmd.addAll(List.of("--child", dir.toString()));
        }
        if (analysis != null) {
            cmd.addAll(List.of("--analysis", analysis.toString()));
        }
        cmd.addAll(List.of("--plugins-dir", options.pluginsFolder().toString()));
        if (options.threads > 0) {
            cmd.addAll(List.of("--threads", Integer.toString(options.threads)));
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

    /** The child's side of {@code --child-startup}: loads the plugin and the model, prints how long it took. */
    int startup() {
        long t0 = System.nanoTime();
        try (PluginHost host = options.plugins()) {
            host.classifier().modelInfo();
            long t1 = System.nanoTime();
            double fromJvm = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
            out.printf(Locale.ROOT, "STARTUP seconds=%.3f fromJvmStart=%.3f ompThreads=%s%n", (t1 - t0) / 1e9, fromJvm,
                    System.getProperty("genretagger.mxnet.ompThreads", "?"));
            out.flush();
        }
        return HostCli.OK;
    }

    /** The child's side of {@code --child DIR}: retags DIR (tags written), sampling RSS; prints RSS lines and a RESULT line. */
    int retag(Path dir) throws Exception {
        Analysis a = options.analysis != null ? options.analysis.get(0) : null;
        Path journalDir = Files.createTempDirectory("genre-bench-journal");
        long start = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    print("RSS tracks=%d rssKb=%d ms=%d%n", done.get(), Proc.procStatus("VmRSS"), (System.nanoTime() - start) / 1_000_000);
                }
            } catch (InterruptedException e) {
                // stop
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        RetagReport r;
        try (PluginHost host = options.plugins()) {
            host.classifier().modelInfo();
            r = options.retag(host, dir, a, options.checks().get(0), journalDir.resolve("journal.jsonl"), new RetagListener() {
                @Override
                public void trackFinished(TrackResult result) {
                    int n = done.incrementAndGet();
                    if (n % 100 == 0) {
                        // ms=-1 marks the per-100-tracks samples
                        print("RSS tracks=%d rssKb=%d ms=-1%n", n, Proc.procStatus("VmRSS"));
                    }
                }
            });
        } finally {
            sampler.interrupt();
            Corpus.deleteTree(journalDir);
        }
        int failed = (int) r.results().stream().filter(t -> t.outcome() == org.genretagger.api.Outcome.FAILED).count();
        Map<String, Long> status = Proc.procStatus();
        print("RESULT tracks=%d failed=%d seconds=%.1f vmhwmKb=%d rssKb=%d%n", r.results().size(), failed,
                r.elapsed().toNanos() / 1e9, status.getOrDefault("VmHWM", -1L), status.getOrDefault("VmRSS", -1L));
        return HostCli.OK;
    }

    private void print(String format, Object... args) {
        synchronized (out) {
            out.printf(Locale.ROOT, format, args);
            out.flush();
        }
    }

    /**
     * @param kv a child's line after its tag: {@code key=value} pairs separated by spaces
     * @return the pairs
     */
    static Properties fields(String kv) {
        Properties p = new Properties();
        for (String part : kv.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                p.setProperty(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return p;
    }
}
