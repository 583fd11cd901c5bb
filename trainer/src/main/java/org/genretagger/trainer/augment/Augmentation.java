package org.genretagger.trainer.augment;

import java.util.Random;

/** A seeded, training-only change to a clip's waveform. */
public interface Augmentation {
    /**
     * @param clip mono samples, nominally in [-1, 1]; not modified
     * @param sampleRate sample rate of {@code clip} in Hz
     * @param rng source of every random choice
     * @return a new array
     */
    float[] augment(float[] clip, int sampleRate, Random rng);

    /**
     * @param next applied to this one's output
     * @return both, in order
     */
    default Augmentation then(Augmentation next) {
        Augmentation first = this;
        return new Augmentation() {
            @Override
            public float[] augment(float[] clip, int sampleRate, Random rng) {
                return next.augment(first.augment(clip, sampleRate, rng), sampleRate, rng);
            }

            @Override
            public String toString() {
                return first + " then " + next;
            }
        };
    }
}
