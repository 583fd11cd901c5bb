package org.genretagger.api;

/** What a retag does with a genre a track already has. */
public enum TagPolicy {
    /** Write only where the track has no genre; leave existing genres alone. */
    FILL_EMPTY,
    /** Replace whatever genre the track has. */
    REPLACE,
    /** Keep the existing genres and add ours beside them. */
    MERGE
}
