package org.genretagger.plugin.tags;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.genretagger.api.Id3Version;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.audio.mp3.MP3File;
import org.jaudiotagger.audio.wav.WavOptions;
import org.jaudiotagger.audio.wav.WavSaveOptions;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.TagField;
import org.jaudiotagger.tag.TagOptionSingleton;
import org.jaudiotagger.tag.TagTextField;
import org.jaudiotagger.tag.aiff.AiffTag;
import org.jaudiotagger.tag.asf.AsfFieldKey;
import org.jaudiotagger.tag.asf.AsfTag;
import org.jaudiotagger.tag.flac.FlacTag;
import org.jaudiotagger.tag.id3.AbstractID3v2Frame;
import org.jaudiotagger.tag.id3.AbstractID3v2Tag;
import org.jaudiotagger.tag.id3.AbstractTag;
import org.jaudiotagger.tag.id3.ID3v1Tag;
import org.jaudiotagger.tag.id3.ID3v23Tag;
import org.jaudiotagger.tag.id3.ID3v24Tag;
import org.jaudiotagger.tag.id3.framebody.AbstractFrameBodyTextInfo;
import org.jaudiotagger.tag.mp4.Mp4FieldKey;
import org.jaudiotagger.tag.mp4.Mp4Tag;
import org.jaudiotagger.tag.reference.GenreTypes;
import org.jaudiotagger.tag.vorbiscomment.VorbisCommentFieldKey;
import org.jaudiotagger.tag.vorbiscomment.VorbisCommentTag;
import org.jaudiotagger.tag.wav.WavTag;

/**
 * Reads and writes the genre of an audio file, as text, in each format's own field:
 * <ul>
 *   <li>MP3: ID3v2 {@code TCON}, v2.4 or v2.3 (an existing tag is converted, other frames kept);
 *       an existing ID3v1 tag gets the first genre's ID3v1 code, or "none" (255) when that genre
 *       has no code, so it never contradicts the ID3v2 tag; no ID3v1 tag is added;</li>
 *   <li>WAV, AIFF: an ID3v2 chunk, as for MP3. A WAV file's existing {@code LIST/INFO} chunk gets
 *       the genres joined into {@code IGNR} (no INFO chunk is ever added), and an ID3 chunk created
 *       next to it is seeded with its title, artist etc.;</li>
 *   <li>FLAC, Ogg Vorbis, Ogg Opus: {@code GENRE} Vorbis comments, one per genre. Opus is handled
 *       by our own code, also when an {@code .ogg}/{@code .oga} file holds Opus;</li>
 *   <li>MP4/M4A/M4B: {@code ©gen} as text, one joined value (Jaudiotagger could write several
 *       {@code ©gen} atoms, but iTunes and FFmpeg show only one); an old numeric {@code gnre}
 *       atom is removed;</li>
 *   <li>WMA: {@code WM/Genre}, one attribute per genre; an old {@code WM/GenreID} is removed.</li>
 * </ul>
 * So several genres are native in ID3v2.4, Vorbis comments and WMA, and joined with the
 * separator in ID3v2.3, MP4 and WAV INFO. Writing no genres to a file without tags changes nothing;
 * removing the genre from an MP3's ID3v2 tag that holds nothing else removes the tag (a WAV or
 * AIFF ID3 chunk stays, empty).
 *
 * <p>The format is chosen by the file name's extension, which must come last: a temporary copy
 * named {@code song.gtmp.mp3} works. Writes happen in place (the file keeps its identity); for
 * FLAC, Ogg, MP4, WMA and Opus a temporary {@code *.tmp} file is used in the same folder and is
 * removed again on success and on failure.
 *
 * <p>Thread-safe: Jaudiotagger's global options are set once when this class loads, so concurrent
 * calls on different files are fine; calls on the same file must not overlap. Loading this class
 * turns off java.util.logging output of the {@code org.jaudiotagger} loggers, and only those
 * (they are JVM-wide, so this also applies to a host's own Jaudiotagger).
 */
public final class GenreTags {
    /** Held so the level set on it is not lost to garbage collection. */
    private static final Logger JAUDIOTAGGER_LOGGER = Logger.getLogger("org.jaudiotagger");

    private enum Kind { MP3, WAV, AIFF, FLAC, OGG, OPUS, MP4, WMA }

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("mp3", Kind.MP3),
            Map.entry("wav", Kind.WAV),
            Map.entry("aif", Kind.AIFF), Map.entry("aiff", Kind.AIFF), Map.entry("aifc", Kind.AIFF),
            Map.entry("flac", Kind.FLAC),
            Map.entry("ogg", Kind.OGG), Map.entry("oga", Kind.OGG), Map.entry("opus", Kind.OPUS),
            Map.entry("m4a", Kind.MP4), Map.entry("mp4", Kind.MP4), Map.entry("m4b", Kind.MP4),
            Map.entry("wma", Kind.WMA));

    /** Lower-case ID3v1/Winamp genre name to its code. */
    private static final Map<String, Integer> ID3_CODES = new HashMap<>();

    static {
        JAUDIOTAGGER_LOGGER.setLevel(Level.OFF);
        TagOptionSingleton options = TagOptionSingleton.getInstance();
        options.setWriteMp3GenresAsText(true);
        options.setWriteMp4GenresAsText(true);
        // The ID3 chunk is what we read and write; INFO is active only when it is all a file has.
        options.setWavOptions(WavOptions.READ_ID3_UNLESS_ONLY_INFO);
        // Save the ID3 chunk and whatever else the file already had; never add an INFO chunk.
        options.setWavSaveOptions(WavSaveOptions.SAVE_EXISTING_AND_ACTIVE);
        options.setId3v1Save(true);
        options.setPreserveFileIdentity(true);
        GenreTypes types = GenreTypes.getInstanceOf();
        for (int id = 0; id <= GenreTypes.getMaxGenreId(); id++) {
            String name = types.getValueForId(id);
            if (name != null) {
                ID3_CODES.putIfAbsent(name.toLowerCase(Locale.ROOT), id);
            }
        }
    }

    private GenreTags() {
    }

    /**
     * @param file an audio file
     * @return whether its extension names a format whose genre can be read and written
     */
    public static boolean supports(Path file) {
        return kindOf(file) != null;
    }

    /**
     * Reads the genres as a user sees them: numeric ID3 codes ({@code (17)}, {@code 17},
     * {@code (17)Rock}) become names; a single ID3v2.3 or MP4 string is not split.
     *
     * @param file a supported audio file
     * @return the genres, without blanks or repeats; empty if there are none
     * @throws TagAccessException if the file cannot be read or its format is not supported
     */
    public static List<String> readGenres(Path file) throws TagAccessException {
        Kind kind = requireKind(file);
        try {
            if (kind == Kind.OPUS || kind == Kind.OGG && OggOpus.isOpus(file)) {
                return OggOpus.readGenres(file);
            }
            return genres(kind, read(file));
        } catch (Exception e) {
            throw new TagAccessException(file, "cannot read tags", e);
        }
    }

    /**
     * What a track says about the album it belongs to, read with its genres in one pass.
     *
     * @param genres as {@link #readGenres(Path)} gives them
     * @param artist the artist, empty if none
     * @param albumArtist the album artist, empty if none
     * @param album the album title, empty if none
     * @param compilation whether the compilation flag is set ({@code TCMP}, {@code COMPILATION},
     *     {@code cpil})
     */
    public record TrackTags(List<String> genres, String artist, String albumArtist, String album, boolean compilation) {}

    /**
     * @param file a supported audio file
     * @return its genres and album tags
     * @throws TagAccessException if the file cannot be read or its format is not supported
     */
    public static TrackTags readTrackTags(Path file) throws TagAccessException {
        Kind kind = requireKind(file);
        try {
            if (kind == Kind.OPUS || kind == Kind.OGG && OggOpus.isOpus(file)) {
                return OggOpus.readTrackTags(file);
            }
            AudioFile af = read(file);
            Tag tag = af.getTag();
            return new TrackTags(genres(kind, af), first(tag, FieldKey.ARTIST), first(tag, FieldKey.ALBUM_ARTIST),
                    first(tag, FieldKey.ALBUM), isTrue(first(tag, FieldKey.IS_COMPILATION)));
        } catch (Exception e) {
            throw new TagAccessException(file, "cannot read tags", e);
        }
    }

    private static String first(Tag tag, FieldKey key) {
        if (tag instanceof WavTag wav) {
            // Taggers write WAV album fields to the ID3 chunk, the INFO chunk or both: take whichever has it.
            String id3 = wav.isExistingId3Tag() ? first(wav.getID3Tag(), key) : "";
            return !id3.isEmpty() || !wav.isExistingInfoTag() ? id3 : first(wav.getInfoTag(), key);
        }
        try {
            return tag == null ? "" : tag.getFirst(key).trim();
        } catch (RuntimeException e) {
            return ""; // a field this tag type cannot hold (ID3v1 has no album artist)
        }
    }

    private static boolean isTrue(String v) {
        return v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes");
    }

    private static List<String> genres(Kind kind, AudioFile af) {
        {
            List<String> genres = new ArrayList<>();
            switch (kind) {
                case MP3 -> {
                    MP3File mp3 = (MP3File) af;
                    genres.addAll(id3Genres(mp3.getID3v2Tag()));
                    if (genres.isEmpty() && mp3.hasID3v1Tag()) {
                        genres.add(mp3.getID3v1Tag().getFirst(FieldKey.GENRE));
                    }
                }
                case WAV -> {
                    WavTag wav = (WavTag) af.getTag();
                    if (wav != null && wav.isExistingId3Tag()) {
                        genres.addAll(id3Genres(wav.getID3Tag()));
                    }
                    if (genres.isEmpty() && wav != null && wav.isExistingInfoTag()) {
                        genres.add(wav.getInfoTag().getFirst(FieldKey.GENRE));
                    }
                }
                case AIFF -> {
                    AiffTag aiff = (AiffTag) af.getTag();
                    if (aiff != null && aiff.isExistingId3Tag()) {
                        genres.addAll(id3Genres(aiff.getID3Tag()));
                    }
                }
                case FLAC, OGG -> {
                    VorbisCommentTag vc = vorbis(af.getTag());
                    if (vc != null) {
                        genres.addAll(vc.getAll(FieldKey.GENRE));
                    }
                }
                case MP4 -> {
                    Tag tag = af.getTag();
                    if (tag instanceof Mp4Tag mp4) {
                        texts(mp4.get(Mp4FieldKey.GENRE_CUSTOM), genres);
                        // Jaudiotagger already turns a gnre code into its name.
                        texts(mp4.get(Mp4FieldKey.GENRE), genres);
                    }
                }
                case WMA -> {
                    Tag tag = af.getTag();
                    if (tag instanceof AsfTag asf) {
                        texts(asf.getFields(AsfFieldKey.GENRE.getFieldName()), genres);
                        if (genres.isEmpty()) {
                            List<String> ids = new ArrayList<>();
                            texts(asf.getFields(AsfFieldKey.GENRE_ID.getFieldName()), ids);
                            ids.forEach(id -> genres.addAll(id3Names(id)));
                        }
                    }
                }
                default -> throw new AssertionError(kind);
            }
            return clean(genres);
        }
    }

    /**
     * Which ID3v2 version holds the file's genre, so that a caller can later write the same
     * version back (undo restores the version a retag converted from).
     *
     * @param file a supported audio file
     * @return 2, 3 or 4 for an ID3v2.2, v2.3 or v2.4 tag of an MP3, WAV or AIFF file; 0 when the
     *     file has no ID3v2 tag or its format does not use ID3
     * @throws TagAccessException if the file cannot be read or its format is not supported
     */
    public static int id3Version(Path file) throws TagAccessException {
        Kind kind = requireKind(file);
        if (kind != Kind.MP3 && kind != Kind.WAV && kind != Kind.AIFF) {
            return 0;
        }
        try {
            AudioFile af = read(file);
            AbstractID3v2Tag tag = null;
            if (af instanceof MP3File mp3) {
                tag = mp3.getID3v2Tag();
            } else if (af.getTag() instanceof WavTag wav && wav.isExistingId3Tag()) {
                tag = wav.getID3Tag();
            } else if (af.getTag() instanceof AiffTag aiff && aiff.isExistingId3Tag()) {
                tag = aiff.getID3Tag();
            }
            if (tag == null) {
                return 0;
            }
            return tag instanceof ID3v24Tag ? 4 : tag instanceof ID3v23Tag ? 3 : 2;
        } catch (Exception e) {
            throw new TagAccessException(file, "cannot read tags", e);
        }
    }

    /**
     * Replaces the file's genres, in place. The caller is expected to work on a copy and to verify.
     *
     * @param file a supported audio file
     * @param genres the genres in order; empty to remove the genre field
     * @param id3Version the ID3v2 version for MP3, WAV and AIFF; an existing tag is converted to
     *     it, keeping its other frames
     * @param separator joins several genres where one string is needed (ID3v2.3, MP4, WAV INFO)
     * @throws TagAccessException if the file cannot be read or written
     * @throws IllegalArgumentException if a genre is blank or holds a NUL character
     */
    public static void writeGenres(Path file, List<String> genres, Id3Version id3Version, String separator)
            throws TagAccessException {
        Objects.requireNonNull(id3Version, "id3Version");
        Objects.requireNonNull(separator, "separator");
        List<String> values = new ArrayList<>();
        for (String g : genres) {
            if (g == null || g.isBlank() || g.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid genre: " + (g == null ? null : "'" + g + "'"));
            }
            values.add(g.trim());
        }
        String joined = String.join(separator, values);
        Kind kind = requireKind(file);
        try {
            if (kind == Kind.OPUS || kind == Kind.OGG && OggOpus.isOpus(file)) {
                OggOpus.writeGenres(file, values);
                return;
            }
            AudioFile af = read(file);
            switch (kind) {
                case MP3 -> {
                    MP3File mp3 = (MP3File) af;
                    AbstractID3v2Tag old = mp3.getID3v2Tag();
                    if (old == null && values.isEmpty() && !mp3.hasID3v1Tag()) {
                        return;
                    }
                    if (old != null || !values.isEmpty()) {
                        AbstractID3v2Tag tag = id3With(old, id3Version, values, joined);
                        // A tag left holding nothing is removed, so undoing a run that created it leaves no trace.
                        mp3.setID3v2Tag(values.isEmpty() && tag.getFieldCount() == 0 ? null : tag);
                    }
                    if (mp3.hasID3v1Tag()) {
                        setId3v1Genre(mp3.getID3v1Tag(), values);
                    }
                    // commit() directly: AudioFileIO.write() insists on getTag(), null for a tagless MP3.
                    mp3.commit();
                    return;
                }
                case WAV -> {
                    WavTag wav = (WavTag) af.getTagOrCreateAndSetDefault();
                    if (values.isEmpty() && !wav.isExistingId3Tag() && !wav.isExistingInfoTag()) {
                        return;
                    }
                    if (wav.isExistingId3Tag() || !values.isEmpty()) {
                        boolean created = !wav.isExistingId3Tag();
                        wav.setID3Tag(id3With(created ? null : wav.getID3Tag(), id3Version, values, joined));
                        wav.setExistingId3Tag(true);
                        if (created && wav.isExistingInfoTag()) {
                            // Players that prefer the ID3 chunk should still see the title, artist, ...
                            wav.syncToId3FromInfoIfEmpty();
                        }
                    }
                    if (wav.isExistingInfoTag()) {
                        if (values.isEmpty()) {
                            wav.getInfoTag().deleteField(FieldKey.GENRE);
                        } else {
                            wav.getInfoTag().setField(FieldKey.GENRE, joined);
                        }
                    }
                }
                case AIFF -> {
                    AiffTag aiff = (AiffTag) af.getTagOrCreateAndSetDefault();
                    if (values.isEmpty() && !aiff.isExistingId3Tag()) {
                        return;
                    }
                    aiff.setID3Tag(id3With(aiff.isExistingId3Tag() ? aiff.getID3Tag() : null, id3Version, values, joined));
                    aiff.setExistingId3Tag(true);
                }
                case FLAC, OGG -> {
                    VorbisCommentTag vc = vorbis(af.getTagOrCreateAndSetDefault());
                    vc.deleteField(VorbisCommentFieldKey.GENRE);
                    for (String g : values) {
                        vc.addField(vc.createField(VorbisCommentFieldKey.GENRE, g));
                    }
                }
                case MP4 -> {
                    Mp4Tag mp4 = (Mp4Tag) af.getTagOrCreateAndSetDefault();
                    mp4.deleteField(Mp4FieldKey.GENRE);
                    mp4.deleteField(Mp4FieldKey.GENRE_CUSTOM);
                    if (!values.isEmpty()) {
                        mp4.addField(mp4.createField(Mp4FieldKey.GENRE_CUSTOM, joined));
                    }
                }
                case WMA -> {
                    AsfTag asf = (AsfTag) af.getTagOrCreateAndSetDefault();
                    asf.deleteField(AsfFieldKey.GENRE);
                    asf.deleteField(AsfFieldKey.GENRE_ID);
                    for (String g : values) {
                        asf.addField(asf.createField(AsfFieldKey.GENRE, g));
                    }
                }
                default -> throw new AssertionError(kind);
            }
            AudioFileIO.write(af);
        } catch (Exception e) {
            throw new TagAccessException(file, "cannot write tags", e);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Kind kindOf(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return null;
        }
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? null : KINDS.get(s.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static Kind requireKind(Path file) throws TagAccessException {
        Kind kind = kindOf(file);
        if (kind == null) {
            throw new TagAccessException(file, "tags of this file type are not supported", null);
        }
        if (!Files.isRegularFile(file)) {
            throw new TagAccessException(file, "not a readable file", null);
        }
        return kind;
    }

    private static AudioFile read(Path file) throws Exception {
        File f = file.toFile();
        if (f.length() == 0) {
            throw new IOException("empty file");
        }
        return AudioFileIO.read(f);
    }

    private static VorbisCommentTag vorbis(Tag tag) {
        return tag instanceof FlacTag flac ? flac.getVorbisCommentTag() : (VorbisCommentTag) tag;
    }

    /**
     * Returns the tag in the wanted version (converted with its other frames, or new) holding the
     * genres. TCON is set directly, so that no genre name is ever turned into a numeric code.
     */
    private static AbstractID3v2Tag id3With(AbstractID3v2Tag old, Id3Version version, List<String> genres, String joined) {
        AbstractID3v2Tag tag;
        if (version == Id3Version.V2_4) {
            tag = old instanceof ID3v24Tag ? old : old == null ? new ID3v24Tag() : new ID3v24Tag((AbstractTag) old);
        } else {
            tag = old instanceof ID3v23Tag ? old : old == null ? new ID3v23Tag() : new ID3v23Tag((AbstractTag) old);
        }
        tag.removeFrame("TCON");
        if (genres.isEmpty()) {
            return tag;
        }
        AbstractID3v2Frame frame = tag.createFrame("TCON");
        AbstractFrameBodyTextInfo body = (AbstractFrameBodyTextInfo) frame.getBody();
        if (tag instanceof ID3v24Tag) {
            body.setText(genres.get(0));
            for (String g : genres.subList(1, genres.size())) {
                body.addTextValue(g);
            }
        } else {
            // Text like "(17) live" would be read back as a genre code; ID3v2.3 escapes it as "((".
            boolean looksLikeCode = joined.startsWith("(") && !id3Names(joined).equals(List.of(joined));
            body.setText(looksLikeCode ? "(" + joined : joined);
        }
        tag.setFrame(frame);
        return tag;
    }

    private static void setId3v1Genre(ID3v1Tag v1, List<String> genres) {
        Integer code = genres.isEmpty() ? null : ID3_CODES.get(genres.get(0).toLowerCase(Locale.ROOT));
        // Unknown or no genre: "none" rather than a stale genre that contradicts ID3v2.
        v1.setGenre(code == null ? "" : GenreTypes.getInstanceOf().getValueForId(code));
    }

    private static List<String> id3Genres(AbstractID3v2Tag tag) {
        List<String> out = new ArrayList<>();
        if (tag == null) {
            return out;
        }
        for (TagField f : tag.getFields(FieldKey.GENRE)) {
            if (f instanceof AbstractID3v2Frame frame && frame.getBody() instanceof AbstractFrameBodyTextInfo text) {
                // Not getValues(): for ID3v2.3 it splits "(17)(6)Grunge" into codes and text.
                for (String v : text.getText().split("\0")) {
                    out.addAll(id3Names(v));
                }
            }
        }
        return out;
    }

    /**
     * Turns one ID3 genre value into names: {@code 17} and {@code (17)} are "Rock", {@code RX} and
     * {@code CR} are "Remix" and "Cover", {@code (51)(39)} are two genres, and text after the
     * references ({@code (4)Eurodisco}) is the refinement the user chose, so it wins.
     */
    static List<String> id3Names(String raw) {
        String s = raw.trim();
        String plain = codeName(s);
        if (plain != null) {
            return List.of(plain);
        }
        List<String> names = new ArrayList<>();
        int i = 0;
        while (s.startsWith("(", i) && !s.startsWith("((", i)) {
            int close = s.indexOf(')', i);
            String name = close < 0 ? null : codeName(s.substring(i + 1, close));
            if (name == null) {
                break;
            }
            names.add(name);
            i = close + 1;
        }
        String rest = s.substring(i).trim();
        if (rest.startsWith("((")) {
            rest = rest.substring(1);
        }
        return rest.isEmpty() ? names : List.of(rest);
    }

    private static String codeName(String code) {
        if (code.equals("RX")) {
            return "Remix";
        }
        if (code.equals("CR")) {
            return "Cover";
        }
        if (code.isEmpty() || code.length() > 3 || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return GenreTypes.getInstanceOf().getValueForId(Integer.parseInt(code));
    }

    private static void texts(List<TagField> fields, List<String> out) {
        for (TagField f : fields) {
            if (f instanceof TagTextField t) {
                out.add(t.getContent());
            }
        }
    }

    private static List<String> clean(List<String> genres) {
        Set<String> out = new LinkedHashSet<>();
        for (String g : genres) {
            if (g != null && !g.isBlank()) {
                out.add(g.trim());
            }
        }
        return List.copyOf(out);
    }
}
