/**
 * Host-side helpers that need nothing but this API and PF4J: {@link
 * org.genretagger.api.host.PluginFolder} loads a folder (or one zip) of plugins the way every host
 * of the project does.
 */
package org.genretagger.api.host;
