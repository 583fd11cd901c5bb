package org.genretagger.host;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * host-demo with a kill point, for KillNineTest's child runs: {@code KillPoint STEP N ARGS...}
 * runs {@code HostCli ARGS...} and, when the run reaches the point, prints
 * {@code kill point: STEP N FILE} and stops there for good, so that the test's {@code kill -9}
 * lands exactly at that point whatever the machine's load. Points: {@code loaded} (the plugin is
 * loaded, the library not yet scanned; N is ignored), or a step of the N-th write of the run
 * ({@code start}, {@code copy}, {@code journalled}, {@code replaced}: see SafeTagWriter's step
 * hook). {@code none} runs host-demo as it is.
 */
final class KillPoint {
    static final String MARKER = "kill point: ";

    private KillPoint() {}

    public static void main(String[] args) {
        String step = args[0];
        int n = Integer.parseInt(args[1]);
        if (step.equals("loaded")) {
            PluginHost.onStart = pm -> stop(step, n, null);
        } else if (!step.equals("none")) {
            AtomicInteger seen = new AtomicInteger();
            PluginHost.onStart = pm -> TestLibrary.setWriteStepHook(pm, (s, file) -> {
                if (s.equals(step) && seen.incrementAndGet() == n) {
                    stop(step, n, file);
                }
            });
        }
        HostCli.main(Arrays.copyOfRange(args, 2, args.length));
    }

    /** Says where the run is, then waits for the kill (interrupts included: nothing may move on). */
    private static void stop(String step, int n, Path file) {
        System.out.println(MARKER + step + " " + n + (file != null ? " " + file : ""));
        System.out.flush();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // still waiting for the kill
            }
        }
    }
}
