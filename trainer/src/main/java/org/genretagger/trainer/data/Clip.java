package org.genretagger.trainer.data;

import java.nio.file.Path;

/**
 * One labelled clip.
 *
 * @param file the audio file
 * @param label its genre label (the folder name)
 * @param key {@code label/stem}, the name split lists match on whatever the extension
 */
public record Clip(Path file, String label, String key) {}
