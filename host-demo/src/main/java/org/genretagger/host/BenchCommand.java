package org.genretagger.host;

import picocli.CommandLine.Command;

/** Placeholder until the benchmark lands. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark the classify path.")
final class BenchCommand extends HostCli.HostCommand {
    @Override
    public Integer call() {
        return HostCli.USAGE;
    }
}
