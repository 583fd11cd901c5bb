package org.genretagger.plugin.retag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.genretagger.api.GenreScore;
import org.genretagger.api.TagPolicy;
import org.junit.jupiter.api.Test;

/** What is written for a ranking, a policy and a genre limit, on synthetic rankings. */
class GenrePolicyTest {
    private static List<GenreScore> ranking(double... p) {
        String[] names = {"Rock", "Metal", "Blues", "Jazz", "Pop"};
        return java.util.stream.IntStream.range(0, p.length)
                .mapToObj(i -> new GenreScore(names[i], names[i].toLowerCase(), p[i])).toList();
    }

    @Test
    void runnersUpNeedHalfTheTopProbabilityAndTheLimitCaps() {
        List<GenreScore> spread = ranking(0.30, 0.25, 0.20, 0.15, 0.10);
        assertEquals(List.of("Rock"), GenrePolicy.chosen(spread, 1));
        assertEquals(List.of("Rock", "Metal", "Blues"), GenrePolicy.chosen(spread, 3));
        assertEquals(List.of("Rock", "Metal", "Blues", "Jazz"), GenrePolicy.chosen(spread, 5), "0.10 < 0.15: Pop is noise");
        List<GenreScore> peaked = ranking(0.70, 0.20, 0.05, 0.03, 0.02);
        assertEquals(List.of("Rock"), GenrePolicy.chosen(peaked, 3), "a distant second is not a second genre");
        List<GenreScore> edge = ranking(0.40, 0.20, 0.19, 0.11, 0.10);
        assertEquals(List.of("Rock", "Metal"), GenrePolicy.chosen(edge, 3), "exactly half the top probability is enough");
    }

    @Test
    void policiesReplaceOrMergeWithoutRepeats() {
        List<String> ours = List.of("Rock", "Metal");
        assertEquals(ours, GenrePolicy.apply(TagPolicy.REPLACE, List.of("Folk"), ours));
        assertEquals(List.of("Folk", "Rock", "Metal"), GenrePolicy.apply(TagPolicy.MERGE, List.of("Folk"), ours));
        assertEquals(List.of("rock", "Folk", "Metal"), GenrePolicy.apply(TagPolicy.MERGE, List.of("rock", "Folk"), ours),
                "a genre already there in another case is not added again");
        assertEquals(ours, GenrePolicy.apply(TagPolicy.FILL_EMPTY, List.of(), ours));
        assertTrue(GenrePolicy.sameGenres(List.of("Rock ", "metal"), List.of("rock", "Metal")));
        assertFalse(GenrePolicy.sameGenres(List.of("Metal", "Rock"), List.of("Rock", "Metal")), "order matters: the first is the main genre");
    }
}
