package org.genretagger.api;

/**
 * How much of each track the classifier listens to.
 *
 * @param sampleWindows 0 to classify every window; otherwise classify this many windows spread
 *     evenly over the track
 */
public record Analysis(int sampleWindows) {

    /** Every window of the track. */
    public static final Analysis FULL = new Analysis(0);

    /** Rejects a negative count. */
    public Analysis {
        if (sampleWindows < 0) {
            throw new IllegalArgumentException("sample windows must be 0 (full) or positive: " + sampleWindows);
        }
    }

    /**
     * @param text {@code full} or {@code sample:N}
     * @return the analysis it names
     * @throws IllegalArgumentException if the text is neither
     */
    public static Analysis parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("full")) {
            return FULL;
        }
        if (t.startsWith("sample:")) {
            try {
                int n = Integer.parseInt(t.substring("sample:".length()));
                if (n > 0) {
                    return new Analysis(n);
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("analysis must be 'full' or 'sample:N' with N > 0, not '" + text + "'");
    }

    /** @return whether every window is classified */
    public boolean isFull() {
        return sampleWindows == 0;
    }

    @Override
    public String toString() {
        return isFull() ? "full" : "sample:" + sampleWindows;
    }
}
