package org.genretagger.api;

/**
 * One genre and how likely it is.
 *
 * @param genre the display name as written into tags, e.g. {@code Hip-Hop}
 * @param label the model's label, e.g. {@code hiphop}
 * @param probability calibrated probability in [0, 1]
 */
public record GenreScore(String genre, String label, double probability) {}
