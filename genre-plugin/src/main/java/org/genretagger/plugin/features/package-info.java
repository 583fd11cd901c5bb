/**
 * Log-mel features computed exactly as librosa 0.11 does ({@link org.genretagger.plugin.features.LogMel}),
 * in batch or streaming ({@link org.genretagger.plugin.features.MelFrameStream}), plus a small
 * {@link org.genretagger.plugin.features.Npy} reader/writer. Training and inference share this code.
 */
package org.genretagger.plugin.features;
