/**
 * The genre tagger's plugin API: the extension points a host looks up with PF4J and the immutable
 * value types they exchange. It depends on PF4J alone; no decoding, tagging or deep-learning type
 * crosses it, so a host compiles against this jar and nothing else.
 *
 * <p>{@link org.genretagger.api.GenreClassifier} classifies one track;
 * {@link org.genretagger.api.LibraryTagger} runs a whole scan-classify-write job over a folder
 * and reports every track's outcome to a {@link org.genretagger.api.RetagListener}.
 */
package org.genretagger.api;
