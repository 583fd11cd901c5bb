package org.genretagger.plugin.learn;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the genre strings found in tags into genres: "Hip Hop", "hip-hop" and "HipHop" are one
 * genre (its key ignores case, spaces, {@code -}, {@code _} and {@code /}), aliases merge genres,
 * and each genre is written as the form most of its tracks use.
 */
public final class GenreLabels {
    /** Alias targets by key. */
    private final Map<String, String> aliases;
    /** How often each raw form was seen, by key: the written name is the most common. */
    private final Map<String, Map<String, Integer>> forms = new HashMap<>();

    /** @param aliases genre merges, name to target (raw; normalised here) */
    public GenreLabels(Map<String, String> aliases) {
        Map<String, String> a = new LinkedHashMap<>();
        aliases.forEach((from, to) -> {
            if (!key(from).isEmpty() && !key(to).isEmpty() && !key(from).equals(key(to))) {
                a.put(key(from), key(to));
            }
        });
        for (String from : a.keySet()) {
            resolve(a, from); // fails early on a loop
        }
        this.aliases = a;
    }

    /**
     * @param raw a genre as a tag holds it
     * @return its key: NFKC, lower case, without white space, {@code -}, {@code _}, {@code /};
     *     empty if nothing is left
     */
    public static String key(String raw) {
        String s = Normalizer.normalize(raw, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return s.replaceAll("[\\s\\-_/]+", "");
    }

    private static String resolve(Map<String, String> aliases, String key) {
        String k = key;
        for (int i = 0; aliases.containsKey(k); i++) {
            if (i > aliases.size()) {
                throw new IllegalArgumentException("aliases form a loop through '" + key + "'");
            }
            k = aliases.get(k);
        }
        return k;
    }

    /**
     * Counts a raw form towards its genre's written name and returns the genre's key.
     *
     * @param raw a genre as a tag holds it
     * @return the genre's key after aliases, or empty for a blank genre
     */
    public String label(String raw) {
        String k = key(raw);
        if (k.isEmpty()) {
            return "";
        }
        String target = resolve(aliases, k);
        if (target.equals(k)) {
            // Aliased names do not vote on the target's written name.
            forms.computeIfAbsent(k, x -> new TreeMap<>()).merge(raw.strip(), 1, Integer::sum);
        }
        return target;
    }

    /**
     * @param key a genre key
     * @return the form most tracks of that genre use (the first in sort order on a tie); the key
     *     itself if no track used it directly (an alias target only)
     */
    public String writtenName(String key) {
        Map<String, Integer> f = forms.get(key);
        if (f == null || f.isEmpty()) {
            return key;
        }
        String best = null;
        for (Map.Entry<String, Integer> e : f.entrySet()) {
            if (best == null || e.getValue() > f.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }
}
