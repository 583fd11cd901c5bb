package org.genretagger.api;

import java.util.Locale;

/** How a tag write proves that the audio of the file it replaces survived unchanged. */
public enum AudioCheck {
    /**
     * Demux both files (no decoding) and compare the audio stream's packets (data, sizes,
     * timestamps, durations, flags, side data such as skip samples) and every parameter that
     * changes what a decoder outputs (codec, sample rate, channel layout, extradata, padding,
     * gapless information such as {@code iTunSMPB}). Equal decoder input means equal samples;
     * costs about as much as reading the file.
     */
    PACKETS,
    /**
     * Decode both files whole and compare the decoded samples: the slower check, for those who
     * want the proof on the output itself.
     */
    DECODE;

    /**
     * @param text {@code packets} or {@code decode}
     * @return the check it names
     * @throws IllegalArgumentException if the text is neither
     */
    public static AudioCheck parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "packets" -> PACKETS;
            case "decode" -> DECODE;
            default -> throw new IllegalArgumentException("verify must be 'packets' or 'decode', not '" + text + "'");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
