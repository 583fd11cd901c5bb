package org.genretagger.api;

/** The ID3v2 version written to MP3, WAV and AIFF files. */
public enum Id3Version {
    /** ID3v2.3: widest player support; several genres are joined with the separator. */
    V2_3,
    /** ID3v2.4: several genres are written as several values of one frame. */
    V2_4
}
