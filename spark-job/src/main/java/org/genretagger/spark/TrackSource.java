package org.genretagger.spark;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Turns a listed path into a local file the plugin can read: local paths and {@code file:} URIs
 * are read in place; any other scheme (hdfs:, s3a:, ...) is copied through Hadoop's FileSystem into
 * a local scratch folder, which {@link Local#close()} deletes. Nothing is ever written back.
 */
final class TrackSource {
    private final Map<String, String> hadoopConf;
    private Configuration conf;

    /** @param hadoopConf the driver's Hadoop settings (credentials, endpoints), as plain entries */
    TrackSource(Map<String, String> hadoopConf) {
        this.hadoopConf = hadoopConf;
    }

    /** A readable local copy (or the file itself) of one listed track. */
    record Local(Path file, Path scratch) implements AutoCloseable {
        @Override
        public void close() {
            if (scratch != null) {
                try (Stream<Path> s = Files.walk(scratch)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // the scratch folder is under the executor's temp dir, which the cluster cleans
                }
            }
        }
    }

    /**
     * @param listed a path or URI as the catalogue lists it
     * @return the file to classify
     * @throws IOException if a remote file cannot be copied
     */
    Local open(String listed) throws IOException {
        if (listed.startsWith("/")) {
            return new Local(Path.of(listed), null);
        }
        URI uri = uri(listed);
        String scheme = uri.getScheme();
        if (scheme == null || scheme.equals("file")) {
            return new Local(Path.of(uri.getPath()), null);
        }
        Path scratch = Files.createTempDirectory("genre-spark-track-");
        try {
            org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(uri);
            // Keeps the file's name: its extension tells the plugin the format.
            Path local = scratch.resolve(remote.getName().isEmpty() ? "track" : remote.getName());
            FileSystem fs = FileSystem.get(uri, configuration());
            fs.copyToLocalFile(false, remote, new org.apache.hadoop.fs.Path(local.toUri()), true);
            return new Local(local, scratch);
        } catch (IOException | RuntimeException e) {
            new Local(null, scratch).close();
            throw e;
        }
    }

    /**
     * A URI as written ({@code file:///a%20b.mp3}), or, when it is not a valid URI, the way Hadoop
     * reads paths, unescaped ({@code hdfs:///music/a b.mp3}).
     */
    static URI uri(String listed) {
        try {
            return new URI(listed);
        } catch (URISyntaxException e) {
            return new org.apache.hadoop.fs.Path(listed).toUri();
        }
    }

    private Configuration configuration() {
        if (conf == null) {
            conf = new Configuration(false);
            hadoopConf.forEach(conf::set);
        }
        return conf;
    }
}
