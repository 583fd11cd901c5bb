package org.genretagger.plugin.analysis;

import java.io.IOException;
import java.nio.file.Path;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.audio.DecodedStream;
import org.genretagger.plugin.features.LogMel;
import org.genretagger.plugin.features.MelFrameStream;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.WindowNormaliser;

/**
 * A companion base's patches of one track (see {@link ModelConfig#companion}): its own decode of the
 * track at the companion's rate, through its own front end, read forward as the main windows ask
 * for their patches (in increasing order). Where the codec seeks well it seeks to patches that lie
 * ahead instead of decoding the audio between them. Frames past the end of the track are silence,
 * as the main window pads a short track.
 */
final class CompanionPatches implements AutoCloseable {
    /** Read ahead rather than seek when the next patch is this close (frames). */
    private static final int SEEK_GAP_FRAMES = 256;

    private final Path file;
    private final ModelConfig config;
    private final ModelConfig companion;
    private final LogMel logMel;
    private final boolean seekAllowed;
    /** Whether this track's codec lands seeks where asked (known once it is open). */
    private boolean seek;
    private final float[][] ring;
    private final float[] buf = new float[TrackAnalyzer.READ_CHUNK];
    private DecodedStream in;
    private MelFrameStream frames;
    /** The track frame the stream's frame 0 is. */
    private long first;
    /** The first track frame the stream computes. */
    private long low;
    /** The next track frame the stream will give. */
    private long next;
    private boolean ended;

    /**
     * @param file the track
     * @param config the model's config, with a companion
     * @param logMel the companion's front end
     * @param seekAllowed whether to seek to patches ahead where the codec lands on the requested sample
     */
    CompanionPatches(Path file, ModelConfig config, LogMel logMel, boolean seekAllowed) {
        this.file = file;
        this.config = config;
        this.companion = config.companion;
        this.logMel = logMel;
        this.seekAllowed = seekAllowed;
        long span = config.companionStart(config.windowFrames, 0) - config.companionStart(0, 0) + companion.windowFrames;
        ring = new float[(int) (2 * span + 2 * buf.length / companion.hopLength)][];
    }

    /**
     * Writes the normalised patches of a window after the window itself.
     *
     * @param windowStart the window's first frame (the main front end's frames)
     * @param out a network input row of {@link ModelConfig#inputSize} values, the window already in place
     * @param offset where the row starts in {@code out}
     * @throws IOException if the track cannot be decoded
     */
    void write(long windowStart, float[] out, int offset) throws IOException {
        int wf = companion.windowFrames;
        long from = config.companionStart(windowStart, 0);
        long to = config.companionStart(windowStart, config.companionPatches - 1) + wf;
        reach(from, to);
        int patchSize = companion.nMels * wf;
        float[][] patch = new float[wf][];
        for (int p = 0; p < config.companionPatches; p++) {
            long s = config.companionStart(windowStart, p);
            for (int i = 0; i < wf; i++) {
                long f = s + i;
                patch[i] = f < next ? ring[(int) (f % ring.length)] : new float[companion.nMels];
            }
            WindowNormaliser.normalise(companion, patch, 0, wf, out, offset + config.nMels * config.windowFrames + p * patchSize);
        }
    }

    /** Makes frames {@code [from, to)} available (or the stream end before {@code to}). */
    private void reach(long from, long to) throws IOException {
        boolean behind = from < low || from < next - ring.length;
        if (frames == null || behind || (seek && from > next + SEEK_GAP_FRAMES)) {
            start(from);
        }
        while (next < to && !ended) {
            int n = in.read(buf);
            if (n < 0) {
                frames.finish();
                ended = true;
            } else {
                frames.push(buf, 0, n);
            }
        }
    }

    /** A fresh stream whose frames from {@code from} on are exact: sought a few frames early, or from the start. */
    private void start(long from) throws IOException {
        int hop = companion.hopLength;
        int pre = (int) Math.min(from, TrackAnalyzer.SEEK_PREROLL_FRAMES + (companion.nFft / 2 + hop - 1) / hop);
        if (in != null && !seek) {
            in.close();
            in = null;
        }
        if (in == null) {
            in = AudioDecoder.open(file, companion.sampleRate);
            seek = seekAllowed && TrackAnalyzer.seeksWell(in);
        }
        first = seek ? from - pre : 0;
        if (seek) {
            in.seekSeconds((double) first * hop / companion.sampleRate);
        }
        next = first;
        ended = false;
        low = from;
        frames = logMel.stream((k, mel) -> {
            long f = first + k;
            ring[(int) (f % ring.length)] = mel.clone();
            next = f + 1;
        });
        frames.onlyFrames(k -> first + k >= low);
    }

    @Override
    public void close() {
        if (in != null) {
            in.close();
        }
    }
}
