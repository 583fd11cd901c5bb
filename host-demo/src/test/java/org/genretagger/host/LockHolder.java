package org.genretagger.host;

import java.nio.file.Path;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagRequest;
import org.pf4j.PluginManager;

/**
 * A real retag run (through PF4J, like any host) that pauses once it has started, holding its
 * library's lock, until it is killed: {@code LockHolder DIR JOURNAL}. Started by LockTest in a
 * child JVM.
 */
final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        PluginManager pm = TestLibrary.loadPlugins();
        LibraryTagger tagger = pm.getExtensions(LibraryTagger.class).get(0);
        tagger.retag(RetagRequest.builder(Path.of(args[0])).journal(Path.of(args[1])).minConfidence(0.0).build(), new RetagListener() {
            @Override
            public void started(int totalTracks) {
                System.out.println("holding " + ProcessHandle.current().pid());
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }
}
