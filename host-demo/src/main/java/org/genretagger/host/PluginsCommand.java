package org.genretagger.host;

import java.io.PrintWriter;
import org.pf4j.PluginWrapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists loaded plugins and their extensions. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "List the loaded plugins, their versions and extensions.")
final class PluginsCommand extends HostCli.HostCommand {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PluginHost host = host()) {
            if (host.plugins().isEmpty()) {
                out.println("no plugins found");
                return HostCli.SOME_FAILED;
            }
            for (PluginWrapper p : host.plugins()) {
                out.printf("%s %s (%s) %s%n", p.getPluginId(), p.getDescriptor().getVersion(), p.getPluginState(),
                        p.getDescriptor().getPluginDescription());
                for (String ext : host.extensionClasses(p.getPluginId())) {
                    out.println("  extension " + ext);
                }
            }
        }
        return HostCli.OK;
    }
}
