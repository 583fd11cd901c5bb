package org.genretagger.plugin.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genretagger.api.GenreScore;
import org.genretagger.plugin.model.ModelConfig;
import org.junit.jupiter.api.Test;

/** Setting classes aside and resolving chosen genre names, on a made-up model with an eleventh genre. */
class VerdictTest {
    private static ModelConfig config() {
        ModelConfig c = new ModelConfig();
        c.labels = List.of("blues", "hiphop", "rock", "electronic", "notmusic");
        c.genres = List.of("Blues", "Hip-Hop", "Rock", "Electronic", "Not music");
        c.notMusicLabel = "notmusic";
        return c;
    }

    private static List<GenreScore> verdict() {
        return List.of(new GenreScore("Electronic", "electronic", 0.4), new GenreScore("Not music", "notmusic", 0.2),
                new GenreScore("Rock", "rock", 0.2), new GenreScore("Hip-Hop", "hiphop", 0.15), new GenreScore("Blues", "blues", 0.05));
    }

    @Test
    void theClassesLeftShareTheProbabilityInOrder() {
        List<GenreScore> v = Verdict.setAside(verdict(), Set.of("electronic", "hiphop"));
        assertEquals(List.of("notmusic", "rock", "blues"), v.stream().map(GenreScore::label).toList());
        assertEquals(0.2 / 0.45, v.get(0).probability(), 1e-12);
        assertEquals(0.05 / 0.45, v.get(2).probability(), 1e-12);
        assertEquals(1.0, v.stream().mapToDouble(GenreScore::probability).sum(), 1e-12);
        List<GenreScore> same = verdict();
        assertSame(same, Verdict.setAside(same, Set.of()), "nothing set aside: as it was");
        List<GenreScore> none = Verdict.setAside(List.of(new GenreScore("Rock", "rock", 0), new GenreScore("Blues", "blues", 1)),
                Set.of("blues"));
        assertEquals(0.0, none.get(0).probability(), "no probability left: left as it is, not divided by 0");
    }

    @Test
    void namesResolveByLabelDisplayNameOrUsersNameIgnoringCase() {
        ModelConfig c = config();
        assertEquals(Set.of(), Verdict.notChosen(c, List.of(), Map.of()), "nothing chosen: nothing set aside");
        assertEquals(Set.of("blues", "electronic"), Verdict.notChosen(c, List.of("ROCK", " hip-hop "), Map.of()),
                "not music is never set aside by a choice of genres");
        assertEquals(Set.of("rock", "electronic"), Verdict.notChosen(c, List.of("Hip Hop", "blues"), Map.of("hiphop", "Hip Hop")));
        assertEquals(Set.of("hiphop", "electronic"), Verdict.notChosen(c, List.of("Guitar"), Map.of("blues", "Guitar", "rock", "Guitar")),
                "a name two labels share chooses both");
    }

    @Test
    void anUnknownNameOrNotMusicIsRefusedWithTheModelsGenres() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Verdict.notChosen(config(), List.of("rock", "Electronica"), Map.of()));
        assertTrue(e.getMessage().contains("'Electronica'"), e.getMessage());
        assertTrue(e.getMessage().contains("Blues (blues), Hip-Hop (hiphop), Rock (rock), Electronic (electronic)"), e.getMessage());
        assertTrue(!e.getMessage().contains("Not music ("), "not music is not listed as a genre: " + e.getMessage());
        IllegalArgumentException nm = assertThrows(IllegalArgumentException.class,
                () -> Verdict.notChosen(config(), List.of("Not Music"), Map.of()));
        assertTrue(nm.getMessage().contains("not music is not a genre"), nm.getMessage());
    }
}
