package org.genretagger.plugin;

import org.genretagger.api.GenreLearner;
import org.genretagger.api.LearnException;
import org.genretagger.api.LearnReport;
import org.genretagger.api.LearnRequest;
import org.genretagger.api.RetagListener;
import org.genretagger.plugin.learn.Learner;
import org.pf4j.Extension;

/** Learns a user's genres on the bundled model's embedding. */
@Extension
public class GenreLearnerExtension implements GenreLearner {

    @Override
    public LearnReport learn(LearnRequest request, RetagListener listener) throws LearnException {
        return new Learner(GenreEngine.analyzer()).learn(request, listener);
    }
}
