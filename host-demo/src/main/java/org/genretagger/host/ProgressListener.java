package org.genretagger.host;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagListener;
import org.genretagger.api.TrackResult;

/**
 * Shows a run's progress: a bar with done/total, rate and ETA on a terminal; plain lines, one per
 * track, when output goes to a file or a pipe.
 */
final class ProgressListener implements RetagListener, AutoCloseable {
    private final PrintStream out;
    private final boolean terminal;
    private final String task;
    private ProgressBar bar;
    private int total;
    private int done;

    ProgressListener(PrintStream out, String task) {
        this.out = out;
        this.task = task;
        this.terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void started(int totalTracks) {
        total = totalTracks;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalTracks).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUnit(" tracks", 1).showSpeed().setUpdateIntervalMillis(500).continuousUpdate().build();
        } else {
            out.printf("%s: %d tracks%n", task, totalTracks);
        }
    }

    @Override
    public void trackFinished(TrackResult r) {
        done++;
        if (bar != null) {
            bar.step();
            if (r.outcome() == Outcome.FAILED) {
                bar.setExtraMessage(" last failure: " + r.file().getFileName());
            }
        } else {
            out.printf(Locale.ROOT, "[%d/%d] %-14s %s%s%n", done, total, r.outcome(), r.file(), describe(r));
        }
    }

    static String describe(TrackResult r) {
        StringBuilder sb = new StringBuilder();
        if (!r.genreAfter().equals(r.genreBefore())) {
            sb.append("  ").append(genres(r.genreBefore())).append(" -> ").append(genres(r.genreAfter()));
        }
        if (!r.message().isEmpty()) {
            sb.append("  (").append(r.message()).append(')');
        }
        return sb.toString();
    }

    private static String genres(java.util.List<String> g) {
        return g.isEmpty() ? "(none)" : String.join("; ", g);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
