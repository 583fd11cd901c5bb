package org.genretagger.plugin.model;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Caps the threads MXNet computes with. MXNet's OpenMP runtime (libgomp) and engine read
 * {@code OMP_NUM_THREADS} and {@code MXNET_*} from the process environment when libmxnet loads; a
 * JVM cannot change its own environment through Java, so this sets them with the C library's
 * {@code setenv} (through JNA) before the engine loads. Variables the user set are left alone.
 *
 * <p>Why: the plugin decodes and computes features on one worker per core and feeds one model; an
 * OpenMP team of one thread per core on top of those workers oversubscribes the cores (and OpenMP's
 * spinning threads steal time from the workers), which halves inference speed on a small machine.
 */
public final class EngineThreads {
    /** System property where the OpenMP thread count in effect is published, for hosts and benchmarks. */
    public static final String PROPERTY = "genretagger.mxnet.ompThreads";

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private EngineThreads() {}

    /**
     * Sets MXNet's thread counts unless the environment already has them. Only effective before the
     * MXNet engine is first loaded in this process.
     *
     * @param ompThreads OpenMP threads per operator
     * @return a one-line description of what is in effect
     */
    public static synchronized String limit(int ompThreads) {
        if (openMpLoaded()) {
            return describe("left as loaded (OpenMP already in the process)");
        }
        String user = System.getenv("OMP_NUM_THREADS");
        if (user != null) {
            System.setProperty(PROPERTY, user);
            return describe("OMP_NUM_THREADS=" + user + " from the environment");
        }
        try {
            LibC c = Native.load("c", LibC.class);
            String n = Integer.toString(Math.max(1, ompThreads));
            c.setenv("OMP_NUM_THREADS", n, 0);
            // MXNet's own cap on operator threads, and one engine worker on the CPU (its default).
            c.setenv("MXNET_OMP_MAX_THREADS", n, 0);
            c.setenv("MXNET_CPU_WORKER_NTHREADS", "1", 0);
            System.setProperty(PROPERTY, n);
            return describe("OMP_NUM_THREADS=" + n);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return describe("not set (" + e.getMessage() + ")");
        }
    }

    private static String describe(String what) {
        return "MXNet threads: " + what;
    }

    /** @return whether an OpenMP runtime is already mapped into this process (Linux; false elsewhere) */
    static boolean openMpLoaded() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return false;
        }
        try (var lines = Files.lines(maps)) {
            return lines.anyMatch(l -> l.contains("libgomp") || l.contains("libiomp"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
