package org.genretagger.host;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.genretagger.api.Analysis;
import org.genretagger.api.AudioCheck;
import org.genretagger.api.Grouping;
import org.genretagger.api.Id3Version;
import org.genretagger.api.TagPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one place each option value is parsed: picocli converts the command line's text (and the
 * config file's, see {@link ConfigDefaults}) with these, so a command receives typed values. A
 * value a converter refuses is a usage error that says what the option takes ({@link HostCli}).
 */
public final class Converters {
    private Converters() {
    }

    /** {@code fill-empty}, {@code replace} or {@code merge}. */
    public static final class Policy implements ITypeConverter<TagPolicy> {
        @Override
        public TagPolicy convert(String s) {
            return choose("--policy", s, s, names(TagPolicy.values(), Policy::name));
        }

        /** @return the policy as the command line names it */
        public static String name(TagPolicy p) {
            return p.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code track} or {@code album}. */
    public static final class By implements ITypeConverter<Grouping> {
        @Override
        public Grouping convert(String s) {
            return choose("--by", s, s, names(Grouping.values(), g -> g.name().toLowerCase(Locale.ROOT)));
        }
    }

    /** {@code v2.3} or {@code v2.4} (or without the v). */
    public static final class Id3 implements ITypeConverter<Id3Version> {
        @Override
        public Id3Version convert(String s) {
            String v = s.toLowerCase(Locale.ROOT).startsWith("v") ? s : "v" + s;
            return choose("--id3", s, v, names(Id3Version.values(), i -> i.name().toLowerCase(Locale.ROOT).replace('_', '.')));
        }
    }

    /** {@code packets} or {@code decode}: {@link AudioCheck#parse}. */
    public static final class Verify implements ITypeConverter<AudioCheck> {
        @Override
        public AudioCheck convert(String s) {
            return AudioCheck.parse(s);
        }
    }

    /** {@code full} or {@code sample:N}: {@link Analysis#parse}, once per value. */
    public static final class AnalysisText implements ITypeConverter<Analysis> {
        @Override
        public Analysis convert(String s) {
            return Analysis.parse(s);
        }
    }

    /** learn's {@code --labels}: {@code first} (false) or {@code all} (true). */
    public static final class AllLabels implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String s) {
            Map<String, Boolean> names = new LinkedHashMap<>();
            names.put("first", false);
            names.put("all", true);
            return choose("--labels", s, s, names);
        }
    }

    /** @return each value by its command-line name, in declaration order */
    private static <T> Map<String, T> names(T[] values, Function<T, String> name) {
        Map<String, T> names = new LinkedHashMap<>();
        for (T v : values) {
            names.put(name.apply(v), v);
        }
        return names;
    }

    /**
     * @param option the option, for the message
     * @param given what was given, for the message
     * @param name the name to look up (ignoring case)
     * @param names the accepted names, in the order the message lists them
     * @return the value {@code name} names
     * @throws TypeConversionException saying what the option takes
     */
    private static <T> T choose(String option, String given, String name, Map<String, T> names) {
        T v = names.get(name.toLowerCase(Locale.ROOT));
        if (v == null) {
            List<String> all = List.copyOf(names.keySet());
            String choices = all.size() == 1 ? all.get(0)
                    : String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
            throw new TypeConversionException(option + " must be " + choices + ", not '" + given + "'");
        }
        return v;
    }
}
