package org.genretagger.plugin.analysis;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.locks.ReentrantLock;
import org.genretagger.plugin.model.GenreModel;

/**
 * Batches normalised windows across tracks for the one model: every thread analysing a track
 * queues its windows here, and whichever thread finds a full batch waiting (or needs its own
 * results) runs the next batch through the network for everyone. No extra thread: at most one
 * worker is in inference at a time while the others keep decoding, so the threads that compute
 * never outnumber the workers.
 *
 * <p>Memory is bounded: a thread that queues a window while a full batch waits runs (or waits for)
 * inference before going on, so the queue holds at most {@code batch} windows plus one per thread.
 * Window buffers are recycled.
 */
final class WindowBatcher {
    /** Receives the probabilities of the windows it queued. */
    interface Sink {
        /**
         * @param start the window's first frame, as queued
         * @param probabilities one per class; the array is the sink's to keep
         */
        void deliver(int start, float[] probabilities);

        /** @return where to add this sink's share of inference time; may be null */
        StageTimes times();

        /** @return windows submitted and not yet delivered */
        int outstanding();

        /** @return whether this sink also wants each window's embedding (see {@link GenreModel#embeddings}) */
        default boolean wantsEmbeddings() {
            return false;
        }

        /**
         * Called just before {@link #deliver} for a sink that wants embeddings.
         *
         * @param start the window's first frame
         * @param embedding the window's embedding; the sink's to keep
         */
        default void deliverEmbedding(int start, float[] embedding) {}
    }

    private record Pending(Sink sink, int start, float[] window) {}

    private final GenreModel model;
    private final int windowSize;
    private final int batch;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final ArrayDeque<float[]> free = new ArrayDeque<>();
    private final ReentrantLock inference = new ReentrantLock();
    /** Guarded by {@link #inference}. */
    private final float[] batchBuf;
    /** Guarded by {@link #inference}. */
    private final Pending[] taken;

    /**
     * @param model the model every batch goes through
     * @param windowSize floats per normalised window
     * @param batch windows per forward pass
     */
    WindowBatcher(GenreModel model, int windowSize, int batch) {
        this.model = model;
        this.windowSize = windowSize;
        this.batch = batch;
        this.batchBuf = new float[batch * windowSize];
        this.taken = new Pending[batch];
    }

    /** @return a buffer for one window, to fill and {@link #submit} */
    float[] buffer() {
        synchronized (queue) {
            float[] b = free.poll();
            return b != null ? b : new float[windowSize];
        }
    }

    /**
     * Queues a window; runs a batch first when a full one is waiting.
     *
     * @param sink who gets the result
     * @param start the window's first frame
     * @param window a buffer from {@link #buffer()}, now owned by the batcher
     * @return nanoseconds this call spent running or waiting for inference
     */
    long submit(Sink sink, int start, float[] window) {
        boolean full;
        synchronized (queue) {
            queue.add(new Pending(sink, start, window));
            full = queue.size() >= batch;
        }
        if (!full) {
            return 0;
        }
        long t0 = System.nanoTime();
        runBatch();
        return System.nanoTime() - t0;
    }

    /**
     * Returns when every window the sink queued has been delivered, running batches as needed.
     *
     * @param sink the sink
     */
    void await(Sink sink) {
        // Its windows are queued, or in a batch another thread is running: running the next batch
        // (after waiting for that one) makes progress either way.
        while (sink.outstanding() > 0) {
            runBatch();
        }
    }

    /**
     * Drops a sink's queued windows, for a track given up part way.
     *
     * @param sink the sink
     */
    void cancel(Sink sink) {
        synchronized (queue) {
            for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.sink == sink) {
                    it.remove();
                    free.add(p.window);
                }
            }
        }
    }

    /** Runs the oldest queued windows (up to a batch) through the model and delivers them. */
    private void runBatch() {
        inference.lock();
        try {
            int n = 0;
            synchronized (queue) {
                while (n < batch && !queue.isEmpty()) {
                    Pending p = queue.poll();
                    System.arraycopy(p.window, 0, batchBuf, n * windowSize, windowSize);
                    free.add(p.window);
                    taken[n++] = p;
                }
            }
            if (n == 0) {
                return;
            }
            long t0 = System.nanoTime();
            float[][] probs;
            try {
                boolean embed = false;
                for (int i = 0; i < n; i++) {
                    embed |= taken[i].sink.wantsEmbeddings();
                }
                if (embed) {
                    float[][][] both = model.probabilitiesAndEmbeddings(batchBuf, n);
                    for (int i = 0; i < n; i++) {
                        if (taken[i].sink.wantsEmbeddings()) {
                            taken[i].sink.deliverEmbedding(taken[i].start, both[1][i]);
                        }
                    }
                    probs = both[0];
                } else {
                    probs = model.probabilities(batchBuf, n);
                }
            } catch (RuntimeException e) {
                for (int i = 0; i < n; i++) {
                    taken[i].sink.deliver(taken[i].start, null);
                    taken[i] = null;
                }
                throw e;
            }
            long share = (System.nanoTime() - t0) / n;
            for (int i = 0; i < n; i++) {
                Pending p = taken[i];
                taken[i] = null;
                p.sink.deliver(p.start, probs[i]);
                StageTimes t = p.sink.times();
                if (t != null) {
                    t.add(StageTimes.Stage.INFERENCE, share);
                }
            }
        } finally {
            inference.unlock();
        }
    }
}
