package org.genretagger.plugin.model;

/**
 * The engine's switches, read from {@code genretagger.*} system properties here and nowhere else in
 * the plugin. They are for operators and comparisons, not for users' runs (those go through the
 * API's requests): a host or a Spark executor sets them before the plugin loads; tests set them to
 * shorten limits.
 *
 * @param modelDir {@code genretagger.model}: a model folder to run instead of the bundled model, or null
 * @param ompThreads {@code genretagger.ompThreads}: MXNet's OpenMP threads, or null for the engine's choice
 * @param trackTimeoutSeconds {@code genretagger.trackTimeoutSeconds}: decoding gives a track up after this (default 600)
 * @param trackWatchdogSeconds {@code genretagger.trackWatchdogSeconds}: a retag gives up waiting for a
 *     track after this; -1 (default) for the decode limit plus 60 s
 * @param seek {@code genretagger.seek}: whether a sampled analysis may seek to its windows (default true)
 * @param crossTrackBatching {@code genretagger.crossTrackBatching}: whether windows of different tracks
 *     share batches (default true)
 */
public record EngineOptions(String modelDir, Integer ompThreads, long trackTimeoutSeconds, long trackWatchdogSeconds,
        boolean seek, boolean crossTrackBatching) {
    /** The property naming a model folder, for hosts that send one to executors. */
    public static final String MODEL = "genretagger.model";
    /** The property capping MXNet's OpenMP threads. */
    public static final String OMP_THREADS = "genretagger.ompThreads";

    /** @return the options as the system properties say now */
    public static EngineOptions current() {
        return new EngineOptions(System.getProperty(MODEL), Integer.getInteger(OMP_THREADS),
                Long.getLong("genretagger.trackTimeoutSeconds", 600), Long.getLong("genretagger.trackWatchdogSeconds", -1),
                Boolean.parseBoolean(System.getProperty("genretagger.seek", "true")),
                Boolean.parseBoolean(System.getProperty("genretagger.crossTrackBatching", "true")));
    }
}
