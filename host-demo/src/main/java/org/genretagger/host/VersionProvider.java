package org.genretagger.host;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.genretagger.api.ModelInfo;
import org.pf4j.PluginWrapper;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the tool's version, and those of the plugins it finds in its default plugins
 * folder and of their model, so a bug report says exactly what ran.
 */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("genre-tagger " + toolVersion() + " (host-demo)");
        try (PluginHost host = new PluginHost(PluginHost.defaultDir())) {
            if (host.plugins().isEmpty()) {
                lines.add("plugin: none found in " + PluginHost.defaultDir());
            }
            for (PluginWrapper p : host.plugins()) {
                lines.add("plugin " + p.getPluginId() + " " + p.getDescriptor().getVersion() + " (" + p.getPluginPath() + ")");
            }
            if (!host.plugins().isEmpty()) {
                ModelInfo m = host.classifier().modelInfo();
                lines.add("model " + m.name() + " " + m.version() + " (" + m.genres().size() + " genres)");
            }
        } catch (RuntimeException e) {
            lines.add("plugin: cannot be loaded (" + e.getMessage() + ")");
        }
        return lines.toArray(String[]::new);
    }

    static String toolVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
