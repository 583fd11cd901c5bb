/**
 * The retag workflow: {@link org.genretagger.plugin.retag.RetagJob} scans, classifies and writes
 * every track of a request (by track, or by album through {@link org.genretagger.plugin.retag.AlbumGrouping}
 * and {@link org.genretagger.plugin.retag.AlbumVerdicts}), {@link org.genretagger.plugin.retag.GenrePolicy}
 * decides what a track gets, and {@link org.genretagger.plugin.retag.UndoJob} restores what a run
 * changed. Files are read and written only through the file-safety core ({@code plugin.library}).
 */
package org.genretagger.plugin.retag;
