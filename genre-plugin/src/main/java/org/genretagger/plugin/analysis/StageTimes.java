package org.genretagger.plugin.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Nanoseconds spent per pipeline stage, summed over threads; for reports and benchmarks. */
public final class StageTimes {
    /**
     * The stages a track passes through. The {@code tags/...} ones break the tag stage (reading
     * tags, and the safe writer) down; they are part of {@link #TAGS}, not added to it.
     */
    public enum Stage {
        DECODE("decode"), FEATURES("features"), INFERENCE("inference"), TAGS("tags"),
        /** Hashing the original and the copy for the journal (SHA-256). */
        TAG_HASH("tags/hash"),
        /** Digesting the original's audio for the check (packets, or a whole decode without one from the analysis). */
        TAG_ORIGINAL_AUDIO("tags/original-audio"),
        /** The temporary copy. */
        TAG_COPY("tags/copy"),
        /** Jaudiotagger (or the Opus writer) writing the genres into the copy. */
        TAG_WRITE("tags/write"),
        /** Forcing the copy, and after the rename the folder, to disk. */
        TAG_FSYNC("tags/fsync"),
        /** Reading the genres back and proving the copy's audio equal. */
        TAG_VERIFY("tags/verify"),
        /** Appending the change to the journal and forcing it to disk. */
        TAG_JOURNAL("tags/journal"),
        /** The atomic rename over the original. */
        TAG_RENAME("tags/rename");

        private final String key;

        Stage(String key) {
            this.key = key;
        }

        /** @return the name in {@link #seconds()} */
        public String key() {
            return key;
        }
    }

    private final LongAdder[] nanos = new LongAdder[Stage.values().length];

    /** Starts every stage at zero. */
    public StageTimes() {
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = new LongAdder();
        }
    }

    /**
     * @param stage the stage
     * @param elapsedNanos time to add to it
     */
    public void add(Stage stage, long elapsedNanos) {
        nanos[stage.ordinal()].add(elapsedNanos);
    }

    /** @return seconds per stage, keyed by {@link Stage#key()}, in pipeline order */
    public Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Stage s : Stage.values()) {
            out.put(s.key(), nanos[s.ordinal()].sum() / 1e9);
        }
        return out;
    }
}
