package org.genretagger.api;

import org.pf4j.ExtensionPoint;

/**
 * Learns a user's own genres from the tracks of a library that already carry genre tags, and
 * writes a model folder that {@link GenreClassifier#forModel} and {@link RetagRequest#model()}
 * then tag with. The model is a small classifier over the plugin's base network's embedding, so
 * it only fits the base network it was learned on; a different base refuses it.
 */
public interface GenreLearner extends ExtensionPoint {

    /**
     * Scans the library, reads each track's genre tags as its label, extracts features (cached in
     * the model folder, so a rerun decodes only new or changed files), trains on some albums and
     * measures on the others, then writes the model folder: {@code config.json} and
     * {@code REPORT.md}. A bad file is skipped and reported, never fatal.
     *
     * @param request what to learn from and where to write
     * @param listener told of progress: {@code started} with the tracks to read, then
     *     {@code trackFinished} per track ({@link Outcome#UNCHANGED} when its features were read,
     *     {@link Outcome#FAILED} with the message when not); may be {@link RetagListener#NONE}
     * @return what was learned and how well it did on held-out albums
     * @throws LearnException when the library has too little data to learn from (checked before
     *     any audio is decoded) or the model folder cannot be written; the message says what to do
     */
    LearnReport learn(LearnRequest request, RetagListener listener) throws LearnException;
}
