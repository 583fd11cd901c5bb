package org.genretagger.api;

/** What one verdict is made for in a retag run. */
public enum Grouping {
    /** Every track is classified and tagged on its own. */
    TRACK,
    /**
     * Tracks of one album get one verdict: the mean of the window probabilities of all its tracks
     * (the same mean a track verdict takes over its own windows), so every track of the album gets
     * the album's genres. An album is the tracks sharing album-artist (else artist) and album tags,
     * compilations (the compilation flag, or album-artist "Various Artists") by album alone; tracks
     * without an album tag form an album of their folder when all of them share an artist. A
     * track alone in its album (a single) is judged on its own.
     */
    ALBUM
}
