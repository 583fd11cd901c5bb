package org.genretagger.api;

/** What happened to one track in a run. Every track ends in exactly one outcome. */
public enum Outcome {
    /** The genre was written into the file. */
    TAGGED,
    /** Dry run: the genre would have been written. */
    WOULD_TAG,
    /** The file already carries exactly what would be written. */
    UNCHANGED,
    /** Left alone on purpose: the policy keeps its genre, or a resumed run already did it. */
    SKIPPED,
    /** The verdict was below the confidence threshold, so nothing was written. */
    LOW_CONFIDENCE,
    /** Not a format whose tags can be written, or not audio at all. */
    UNSUPPORTED,
    /** An error: unreadable, undecodable, or the write could not be made safely. */
    FAILED,
    /** Undo: the genre fields were restored. */
    RESTORED
}
