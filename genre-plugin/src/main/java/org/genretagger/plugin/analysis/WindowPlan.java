package org.genretagger.plugin.analysis;

/**
 * Which windows of a track get classified: every hop, or a fixed number spread evenly over it.
 * Window starts are frame indices, in increasing order.
 */
public final class WindowPlan {
    private WindowPlan() {}

    /**
     * @param totalFrames frames in the track
     * @param windowFrames frames per window
     * @param hopFrames frames between full-analysis windows
     * @param sampleWindows 0 for every window, else how many to spread over the track
     * @return window starts; a track shorter than one window gets the single start 0
     */
    public static int[] starts(long totalFrames, int windowFrames, int hopFrames, int sampleWindows) {
        long last = Math.max(0, totalFrames - windowFrames);
        int full = (int) (last / hopFrames) + 1;
        if (sampleWindows == 0 || sampleWindows >= full) {
            int[] s = new int[full];
            for (int i = 0; i < full; i++) {
                s[i] = i * hopFrames;
            }
            return s;
        }
        int[] s = new int[sampleWindows];
        for (int i = 0; i < sampleWindows; i++) {
            // Centres of equal slices, so the first and last windows are not pinned to the edges
            // (intros and fades say little about the genre).
            s[i] = (int) Math.round((i + 0.5) * last / sampleWindows);
        }
        return s;
    }
}
