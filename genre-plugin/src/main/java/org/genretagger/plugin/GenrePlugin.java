package org.genretagger.plugin;

import org.pf4j.Plugin;

/** The PF4J entry point: releases the model when the host stops the plugin. */
public class GenrePlugin extends Plugin {

    @Override
    public void stop() {
        GenreEngine.shutdown();
    }
}
