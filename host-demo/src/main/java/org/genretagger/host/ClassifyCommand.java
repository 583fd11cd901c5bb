package org.genretagger.host;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.GenreScore;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.WindowPrediction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints the top genres of each file; with {@code --stdin}, a stream of paths in and one JSON
 * line per track out, as each is done, from one JVM (what the beets plugin drives).
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Print the most likely genres of each FILE, with probabilities.",
            "With --json --stdin: read paths from standard input, one a line, and print one JSON line per track as soon as it is "
                + "classified (not in input order); the first line out describes the model: {\"model\":..., \"labels\":[...], "
                + "\"genres\":[...], \"notMusic\":..., \"minConfidence\":P, \"thresholdMeaning\":..., \"tool\":..., \"protocol\":N}."})
final class ClassifyCommand extends HostCli.HostCommand {
    private static final Gson GSON = new Gson();

    @Spec
    CommandSpec spec;

    /** What {@code --stdin}'s first line says, so a driver can tell a tool too old for it. */
    static final int PROTOCOL = 1;
    /** The label of the shipped models' not-music class (the trainer's), which gets no genre. */
    static final String NOT_MUSIC = "notmusic";

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "audio files")
    List<Path> files = List.of();

    @Option(names = "--stdin", description = "with --json: read the paths from standard input, one a line, and answer each as soon as it is done")
    boolean stdin;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "with --stdin: tracks classified at once (default: one per core)")
    int threads;

    @Option(names = "--timeline", description = "with --json: add each window's probabilities in the model's label order, "
            + "\"timeline\":[{\"start\":S,\"probabilities\":[...]}] (to combine several tracks' windows, e.g. an album's)")
    boolean timeline;

    @Option(names = "--json", description = "one JSON object per line: {file, genres:[{genre,label,probability}], windows, seconds} or {file, error}; "
            + "with --genres, only those genres (and not music) in genres")
    boolean json;

    @Option(names = "--top", defaultValue = "3", paramLabel = "N", description = "genres shown per file in text output (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--analysis", paramLabel = "full|sample:N", converter = Converters.AnalysisText.class,
            description = "windows classified per track (default: the model's)")
    Analysis analysis;

    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "a model made by learn (default: the shipped model)")
    Path model;

    @Option(names = "--genres", split = ",", paramLabel = "A,B,C",
            description = "report only these genres (model labels or names, any case; default: all the model's): the others are set "
                    + "aside and these share their probability")
    List<String> genres = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (stdin) {
            if (!json) {
                throw new IllegalArgumentException("--stdin answers in JSON lines: give --json too");
            }
            if (!files.isEmpty()) {
                throw new IllegalArgumentException("--stdin reads the paths from standard input: give no FILE");
            }
            try (PluginHost host = host()) {
                return streamStdin(classifier(host, model), analysis, out);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("classify needs FILE... (or --json --stdin)");
        }
        int failed = 0;
        try (PluginHost host = host()) {
            GenreClassifier classifier = classifier(host, model).forGenres(genres);
            for (Path f : files) {
                try {
                    TrackPrediction p = classifier.classify(f, analysis);
                    out.println(json ? toJson(p, null, timeline) : toText(p));
                } catch (ClassificationException e) {
                    failed++;
                    if (json) {
                        JsonObject o = new JsonObject();
                        o.addProperty("file", f.toString());
                        o.addProperty("error", e.getMessage());
                        out.println(GSON.toJson(o));
                    } else {
                        out.println(f + "\n  error: " + e.getMessage());
                    }
                }
                out.flush();
            }
        }
        return failed == 0 ? HostCli.OK : HostCli.SOME_FAILED;
    }

    /**
     * Reads paths from standard input until its end and classifies them on a pool of workers
     * (whose windows the classifier batches together, as in a retag), printing each track's line
     * as soon as it is done. Workers never wait for the reader, and the reader stays a few tracks
     * ahead of them, so a driver may write paths and read answers in any rhythm.
     */
    private int streamStdin(GenreClassifier classifier, Analysis a, PrintWriter out) {
        ModelInfo info = classifier.modelInfo();
        JsonObject head = new JsonObject();
        head.addProperty("model", info.name());
        head.addProperty("version", info.version());
        head.add("labels", GSON.toJsonTree(info.labels()));
        head.add("genres", GSON.toJsonTree(info.genres()));
        head.addProperty("notMusic", info.labels().contains(NOT_MUSIC) ? NOT_MUSIC : null);
        head.addProperty("minConfidence", info.defaultMinConfidence());
        head.addProperty("thresholdMeaning", info.thresholdMeaning());
        head.addProperty("tool", VersionProvider.toolVersion());
        head.addProperty("protocol", PROTOCOL);
        out.println(GSON.toJson(head));
        out.flush();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "classify-stdin");
            t.setDaemon(true);
            return t;
        });
        Semaphore ahead = new Semaphore(2 * n);
        AtomicInteger failed = new AtomicInteger();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String name = line;
                ahead.acquireUninterruptibly();
                pool.execute(() -> {
                    String answer;
                    try {
                        answer = toJson(classifier.classify(Path.of(name), a), name, timeline);
                    } catch (ClassificationException e) {
                        failed.incrementAndGet();
                        answer = error(name, e.getMessage());
                    } catch (Throwable e) {
                        // One track's trouble (an invalid path, a parser's bug) is that track's answer.
                        failed.incrementAndGet();
                        answer = error(name, name + ": unexpected error (" + e + ")");
                    } finally {
                        ahead.release();
                    }
                    synchronized (out) {
                        out.println(answer);
                        out.flush();
                    }
                });
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return failed.get() == 0 ? HostCli.OK : HostCli.SOME_FAILED;
    }

    private static String error(String file, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("file", file);
        o.addProperty("error", message);
        return GSON.toJson(o);
    }

    private String toText(TrackPrediction p) {
        StringBuilder sb = new StringBuilder(p.file().toString());
        sb.append(String.format(Locale.ROOT, "  (%.1f s, %d windows)", p.seconds(), p.windows()));
        for (GenreScore g : p.top(top)) {
            sb.append(String.format(Locale.ROOT, "%n  %-10s %5.1f %%", g.genre(), 100 * g.probability()));
        }
        return sb.toString();
    }

    static String toJson(TrackPrediction p) {
        return toJson(p, null, false);
    }

    /**
     * @param p the verdict
     * @param file the name to give the file (as the driver wrote it), or null for the verdict's path
     * @param timeline add each window's probabilities
     */
    static String toJson(TrackPrediction p, String file, boolean timeline) {
        JsonObject o = new JsonObject();
        o.addProperty("file", file != null ? file : p.file().toString());
        JsonArray genres = new JsonArray();
        for (GenreScore g : p.genres()) {
            JsonObject j = new JsonObject();
            j.addProperty("genre", g.genre());
            j.addProperty("label", g.label());
            j.addProperty("probability", g.probability());
            genres.add(j);
        }
        o.add("genres", genres);
        o.addProperty("windows", p.windows());
        o.addProperty("seconds", p.seconds());
        if (timeline) {
            JsonArray windows = new JsonArray();
            for (WindowPrediction w : p.timeline()) {
                JsonObject j = new JsonObject();
                j.addProperty("start", w.startSeconds());
                j.add("probabilities", GSON.toJsonTree(w.probabilities()));
                windows.add(j);
            }
            o.add("timeline", windows);
        }
        return GSON.toJson(o);
    }
}
