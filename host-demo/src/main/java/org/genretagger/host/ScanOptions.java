package org.genretagger.host;

import java.util.List;
import picocli.CommandLine.Option;

/** Which files of DIR a command works on, and with how many workers: shared by retag and learn. */
final class ScanOptions {
    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: one per core)")
    Integer threads;

    @Option(names = "--include", split = ",", paramLabel = "GLOB", description = "only paths matching (a glob without '/' matches file names)")
    List<String> includes = List.of();

    @Option(names = "--exclude", split = ",", paramLabel = "GLOB", description = "skip paths matching")
    List<String> excludes = List.of();
}
