package org.genretagger.api;

/** Follows a retag or undo run. Methods may be called from worker threads, one at a time. */
public interface RetagListener {

    /** A listener that ignores everything. */
    RetagListener NONE = new RetagListener() {};

    /**
     * The scan is done and work begins.
     *
     * @param totalTracks how many tracks the run will report on
     */
    default void started(int totalTracks) {}

    /**
     * A track reached its outcome.
     *
     * @param result what happened to it
     */
    default void trackFinished(TrackResult result) {}
}
