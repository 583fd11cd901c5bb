package org.genretagger.plugin;

import org.genretagger.plugin.model.EngineOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.genretagger.api.ModelInfo;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.model.EngineThreads;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.network.GenreNet;
import org.genretagger.plugin.model.ModelConfig;

/**
 * The one loaded model of the plugin, shared by its extensions: loading MXNet and the weights
 * takes a second, so it happens once, on first use.
 */
final class GenreEngine {
    private static TrackAnalyzer analyzer;

    private GenreEngine() {}

    static synchronized TrackAnalyzer analyzer() {
        if (analyzer == null) {
            try {
                // -Dgenretagger.model=DIR runs another model folder (config.json + weights), e.g. on
                // cluster executors that were sent a retrained model.
                EngineOptions options = EngineOptions.current();
                String dir = options.modelDir();
                ModelConfig config = dir != null ? ModelConfig.read(Path.of(dir).resolve(GenreModel.CONFIG_FILE))
                        : GenreModel.bundledConfig();
                // The small CNN: one OpenMP thread, since decoding on the workers (one per core) is
                // most of the work. A pretrained base: inference is most of it and only one worker
                // runs it at a time, so its operators get every core (measured: 2.24 against 1.67
                // tracks/s at sample:4 on 2 cores; docs/performance.md).
                int cores = Runtime.getRuntime().availableProcessors();
                Integer threads = options.ompThreads();
                EngineThreads.limit(threads != null ? threads : GenreNet.CNN.equals(config.network) ? 1 : cores);
                analyzer = new TrackAnalyzer(dir != null ? GenreModel.load(Path.of(dir)) : GenreModel.loadBundled());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return analyzer;
    }

    static synchronized void shutdown() {
        if (analyzer != null) {
            analyzer.model().close();
            analyzer = null;
        }
    }

    static ModelInfo info() {
        ModelConfig c = analyzer().model().config();
        return new ModelInfo(c.name, c.version, c.labels, c.genres, c.sampleRate, c.windowSeconds(), c.windowHopSeconds(),
                c.defaultMinConfidence, c.thresholdMeaning, c.notMusicLabel);
    }
}
