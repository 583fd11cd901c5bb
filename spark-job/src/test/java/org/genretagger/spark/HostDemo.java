package org.genretagger.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The desktop tool the job is compared with: {@code host-demo.jar} in a child JVM (one plugin load per JVM). */
final class HostDemo {
    private HostDemo() {}

    /** The plugin zip the build copied to target/plugins. */
    static Path pluginZip() {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("plugins.dir", "target/plugins")))) {
            return s.filter(p -> p.toString().endsWith(".zip")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts {@code host-demo ARGS --plugins-dir (the build's)}.
     *
     * @param out where its standard output goes
     */
    static Process start(Path out, List<String> args) throws IOException {
        Path jar = Path.of(System.getProperty("host-demo.jar", "../host-demo/target/host-demo.jar"));
        assertTrue(Files.isRegularFile(jar), "host-demo.jar not built: " + jar);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString()));
        cmd.addAll(args);
        cmd.addAll(List.of("--plugins-dir", pluginZip().getParent().toString()));
        return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Waits for a host-demo run that must succeed. */
    static void await(Process p, String what) throws InterruptedException {
        assertEquals(0, p.waitFor(), what); // however long a busy machine makes it take
    }

    /** {@code host-demo classify --json [EXTRA] FILES}, its JSON lines in {@code out}. */
    static Path classify(Path out, List<String> extra, List<String> files) throws Exception {
        List<String> args = new ArrayList<>(List.of("classify", "--json"));
        args.addAll(extra);
        args.addAll(files);
        await(start(out, args), "host-demo classify");
        return out;
    }
}
