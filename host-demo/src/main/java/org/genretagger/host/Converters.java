package org.genretagger.host;

import java.util.Locale;
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
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "fill-empty" -> TagPolicy.FILL_EMPTY;
                case "replace" -> TagPolicy.REPLACE;
                case "merge" -> TagPolicy.MERGE;
                default -> throw new TypeConversionException("--policy must be fill-empty, replace or merge, not '" + s + "'");
            };
        }

        /** @return the policy as the command line names it */
        static String name(TagPolicy p) {
            return p.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code track} or {@code album}. */
    public static final class By implements ITypeConverter<Grouping> {
        @Override
        public Grouping convert(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "track" -> Grouping.TRACK;
                case "album" -> Grouping.ALBUM;
                default -> throw new TypeConversionException("--by must be track or album, not '" + s + "'");
            };
        }
    }

    /** {@code v2.3} or {@code v2.4} (or without the v). */
    public static final class Id3 implements ITypeConverter<Id3Version> {
        @Override
        public Id3Version convert(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "v2.3", "2.3" -> Id3Version.V2_3;
                case "v2.4", "2.4" -> Id3Version.V2_4;
                default -> throw new TypeConversionException("--id3 must be v2.3 or v2.4, not '" + s + "'");
            };
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
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "first" -> false;
                case "all" -> true;
                default -> throw new TypeConversionException("--labels must be first or all, not '" + s + "'");
            };
        }
    }
}
