/**
 * The file-safety core: what touches a library's files on disk, for any job that changes them.
 * {@link org.genretagger.plugin.library.LibraryScanner} finds the tracks under a root (and removes
 * an interrupted run's temporary files), {@link org.genretagger.plugin.library.LibraryLock} keeps
 * two writing runs off one library, {@link org.genretagger.plugin.library.SafeTagWriter} writes a
 * copy, proves its audio unchanged and replaces the original atomically (its {@code sha256} is the
 * file hash the journal and the model imports record), and {@link org.genretagger.plugin.library.Journal}
 * records every change before it is made, so a run can be undone or resumed.
 */
package org.genretagger.plugin.library;
