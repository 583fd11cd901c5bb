package org.genretagger.plugin.tags;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * GENRE comments of Ogg Opus files (RFC 7845), which Jaudiotagger 3.0.1 cannot handle. Only the
 * comment header packet is rebuilt; the pages after it keep their payload, granule positions and
 * flags byte for byte and only get new sequence numbers and CRCs when the header's page count
 * changes. Anything unexpected (several logical streams, chained streams, a missing OpusHead, audio
 * sharing a page with the headers) is refused rather than guessed at.
 */
final class OggOpus {
    private static final byte[] CAPTURE = {'O', 'g', 'g', 'S'};
    private static final byte[] OPUS_HEAD = "OpusHead".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPUS_TAGS = "OpusTags".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_SIZE = 27;
    private static final int FLAG_CONTINUED = 0x01;
    private static final int FLAG_BOS = 0x02;
    private static final int FLAG_EOS = 0x04;
    /** A comment header this large is not one we should rewrite in memory. */
    private static final int MAX_COMMENT_PACKET = 64 << 20;
    private static final int[] CRC_TABLE = crcTable();

    private OggOpus() {
    }

    /** @return whether the file starts like an Ogg stream whose first packet is an OpusHead */
    static boolean isOpus(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(HEADER_SIZE + 1 + OPUS_HEAD.length);
            if (b.length < HEADER_SIZE + 1 || !startsWith(b, 0, CAPTURE)) {
                return false;
            }
            int bodyAt = HEADER_SIZE + (b[26] & 0xff);
            // Only a one-segment first page is read here; that is what every encoder writes.
            return b[26] == 1 && b.length >= bodyAt + OPUS_HEAD.length && startsWith(b, bodyAt, OPUS_HEAD);
        }
    }

    static List<String> readGenres(Path file) throws IOException {
        return readTrackTags(file).genres();
    }

    /** @return the genres and album fields of the file's comment header */
    static GenreTags.TrackTags readTrackTags(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            List<byte[]> comments = readHeaders(in).comments.list;
            List<String> artist = values(comments, "ARTIST");
            List<String> albumArtist = values(comments, "ALBUMARTIST");
            List<String> album = values(comments, "ALBUM");
            List<String> compilation = values(comments, "COMPILATION");
            return new GenreTags.TrackTags(values(comments, "GENRE"), artist.isEmpty() ? "" : artist.get(0),
                    albumArtist.isEmpty() ? "" : albumArtist.get(0), album.isEmpty() ? "" : album.get(0),
                    !compilation.isEmpty() && compilation.get(0).equals("1"));
        }
    }

    private static List<String> values(List<byte[]> comments, String field) {
        List<String> values = new ArrayList<>();
        for (byte[] c : comments) {
            if (hasKey(c, field)) {
                String v = new String(c, field.length() + 1, c.length - field.length() - 1, StandardCharsets.UTF_8).trim();
                if (!v.isEmpty()) {
                    values.add(v);
                }
            }
        }
        return values;
    }

    /** Rewrites the file through a temporary file in the same folder, then copies it back in place. */
    static void writeGenres(Path file, List<String> genres) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        // A short fixed prefix: a long file name plus a suffix could exceed the name length limit.
        Path tmp = Files.createTempFile(dir, "gt-opus-", ".tmp");
        try {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                Headers h = readHeaders(in);
                List<byte[]> kept = new ArrayList<>();
                for (byte[] c : h.comments.list) {
                    if (!isGenre(c)) {
                        kept.add(c);
                    }
                }
                for (String g : genres) {
                    kept.add(("GENRE=" + g).getBytes(StandardCharsets.UTF_8));
                }
                byte[] packet = new Comments(h.comments.vendor, kept, h.comments.trailing).toPacket();

                out.write(h.idPage.bytes());
                List<byte[]> commentPages = paginate(packet, h.serial, 1, h.commentGranule);
                for (byte[] p : commentPages) {
                    out.write(p);
                }
                int shift = commentPages.size() - h.commentPageCount;
                for (Page p = readPage(in); p != null; p = readPage(in)) {
                    if (p.serial != h.serial) {
                        throw new IOException("more than one logical Ogg stream (chained or multiplexed); not supported");
                    }
                    out.write(shift == 0 ? p.bytes() : p.withSequence(p.sequence + shift));
                }
            }
            // Copying back keeps the file's identity and permissions, as Jaudiotagger does.
            try (FileChannel src = FileChannel.open(tmp, StandardOpenOption.READ);
                 FileChannel dst = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                long size = src.size();
                for (long pos = 0; pos < size; ) {
                    pos += dst.transferFrom(src, pos, size - pos);
                }
                dst.force(false);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean isGenre(byte[] comment) {
        return hasKey(comment, "GENRE");
    }

    /** Whether a {@code FIELD=value} comment has this field name (compared ignoring case). */
    private static boolean hasKey(byte[] comment, String field) {
        int n = field.length();
        if (comment.length < n + 1 || comment[n] != '=') {
            return false;
        }
        return new String(comment, 0, n, StandardCharsets.US_ASCII).equalsIgnoreCase(field);
    }

    // ---- headers -------------------------------------------------------------------------------

    private record Headers(Page idPage, int serial, Comments comments, int commentPageCount, long commentGranule) {
    }

    private static Headers readHeaders(InputStream in) throws IOException {
        Page id = readPage(in);
        if (id == null) {
            throw new IOException("empty file, not an Ogg Opus stream");
        }
        if ((id.flags & FLAG_BOS) == 0 || !startsWith(id.body, 0, OPUS_HEAD)) {
            throw new IOException("no OpusHead at the start; not an Ogg Opus stream");
        }
        if (id.packetEnds() != 1 || id.lacing[id.lacing.length - 1] == 255) {
            throw new IOException("the OpusHead page holds more or less than one packet");
        }
        check(id);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        int pages = 0;
        long granule;
        while (true) {
            Page p = readPage(in);
            if (p == null) {
                throw new IOException("the stream ends inside its comment header");
            }
            if (p.serial != id.serial || (p.flags & FLAG_BOS) != 0) {
                throw new IOException("more than one logical Ogg stream (multiplexed); not supported");
            }
            if (((p.flags & FLAG_CONTINUED) != 0) != (pages > 0) || (p.flags & FLAG_EOS) != 0 || p.lacing.length == 0) {
                throw new IOException("unexpected page layout in the comment header");
            }
            check(p);
            pages++;
            packet.write(p.body, 0, p.body.length);
            if (packet.size() > MAX_COMMENT_PACKET) {
                throw new IOException("comment header larger than " + (MAX_COMMENT_PACKET >> 20) + " MiB");
            }
            int ends = p.packetEnds();
            if (ends > 1 || ends == 1 && p.lacing[p.lacing.length - 1] == 255) {
                throw new IOException("audio data shares a page with the comment header; not supported");
            }
            if (ends == 1) {
                granule = p.granule;
                break;
            }
        }
        byte[] bytes = packet.toByteArray();
        if (!startsWith(bytes, 0, OPUS_TAGS)) {
            throw new IOException("the second packet is not an OpusTags comment header");
        }
        return new Headers(id, id.serial, Comments.parse(bytes), pages, granule);
    }

    private static void check(Page p) throws IOException {
        if (p.crc != crc(p.headerWithoutCrc(), p.body)) {
            throw new IOException("bad Ogg page checksum at page " + p.sequence);
        }
    }

    /** The vorbis-comment body of an OpusTags packet; comments are raw UTF-8 {@code KEY=value}. */
    private record Comments(byte[] vendor, List<byte[]> list, byte[] trailing) {

        static Comments parse(byte[] packet) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN);
            b.position(OPUS_TAGS.length);
            byte[] vendor = field(b);
            if (b.remaining() < 4) {
                throw new IOException("truncated OpusTags header");
            }
            long count = Integer.toUnsignedLong(b.getInt());
            if (count > b.remaining() / 4) {
                throw new IOException("corrupt OpusTags header: " + count + " comments cannot fit");
            }
            List<byte[]> list = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                list.add(field(b));
            }
            // RFC 7845 5.2: data after the comments may matter to someone; keep it as is.
            byte[] trailing = Arrays.copyOfRange(packet, b.position(), packet.length);
            return new Comments(vendor, list, trailing);
        }

        private static byte[] field(ByteBuffer b) throws IOException {
            if (b.remaining() < 4) {
                throw new IOException("truncated OpusTags header");
            }
            long len = Integer.toUnsignedLong(b.getInt());
            if (len > b.remaining()) {
                throw new IOException("corrupt OpusTags header: a field runs past its end");
            }
            byte[] v = new byte[(int) len];
            b.get(v);
            return v;
        }

        byte[] toPacket() {
            int size = OPUS_TAGS.length + 4 + vendor.length + 4 + trailing.length;
            for (byte[] c : list) {
                size += 4 + c.length;
            }
            ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            b.put(OPUS_TAGS).putInt(vendor.length).put(vendor).putInt(list.size());
            for (byte[] c : list) {
                b.putInt(c.length).put(c);
            }
            return b.put(trailing).array();
        }
    }

    // ---- pages ---------------------------------------------------------------------------------

    /** One Ogg page as read: the parsed header fields, the lacing table and the body. */
    static final class Page {
        final byte[] header;
        final int flags;
        final long granule;
        final int serial;
        final int sequence;
        final int crc;
        final int[] lacing;
        final byte[] body;

        private Page(byte[] header, byte[] body) {
            ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            this.header = header;
            this.flags = header[5] & 0xff;
            this.granule = b.getLong(6);
            this.serial = b.getInt(14);
            this.sequence = b.getInt(18);
            this.crc = b.getInt(22);
            this.lacing = new int[header[26] & 0xff];
            for (int i = 0; i < lacing.length; i++) {
                lacing[i] = header[HEADER_SIZE + i] & 0xff;
            }
            this.body = body;
        }

        /** @return how many packets end on this page */
        int packetEnds() {
            int n = 0;
            for (int v : lacing) {
                if (v < 255) {
                    n++;
                }
            }
            return n;
        }

        byte[] headerWithoutCrc() {
            byte[] h = header.clone();
            Arrays.fill(h, 22, 26, (byte) 0);
            return h;
        }

        byte[] bytes() {
            byte[] all = Arrays.copyOf(header, header.length + body.length);
            System.arraycopy(body, 0, all, header.length, body.length);
            return all;
        }

        byte[] withSequence(int newSequence) {
            byte[] h = headerWithoutCrc();
            ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(18, newSequence);
            ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(22, crc(h, body));
            byte[] all = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return all;
        }
    }

    /** @return the next page, or {@code null} at the end of the stream */
    static Page readPage(InputStream in) throws IOException {
        byte[] fixed = in.readNBytes(HEADER_SIZE);
        if (fixed.length == 0) {
            return null;
        }
        if (fixed.length < HEADER_SIZE || !startsWith(fixed, 0, CAPTURE)) {
            throw new IOException("not an Ogg page (damaged file or trailing data)");
        }
        if (fixed[4] != 0) {
            throw new IOException("unknown Ogg version " + fixed[4]);
        }
        int segments = fixed[26] & 0xff;
        byte[] header = Arrays.copyOf(fixed, HEADER_SIZE + segments);
        readFully(in, header, HEADER_SIZE, segments);
        int size = 0;
        for (int i = 0; i < segments; i++) {
            size += header[HEADER_SIZE + i] & 0xff;
        }
        byte[] body = new byte[size];
        readFully(in, body, 0, size);
        return new Page(header, body);
    }

    /** Splits one packet into pages of at most 255 segments, numbered from {@code sequence}. */
    private static List<byte[]> paginate(byte[] packet, int serial, int sequence, long lastGranule) {
        int values = packet.length / 255 + 1; // the last lacing value is < 255, possibly 0
        List<byte[]> pages = new ArrayList<>();
        int offset = 0;
        for (int first = 0; first < values; first += 255) {
            int n = Math.min(255, values - first);
            boolean last = first + n == values;
            byte[] h = new byte[HEADER_SIZE + n];
            ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
            b.put(CAPTURE).put((byte) 0).put((byte) (first == 0 ? 0 : FLAG_CONTINUED));
            b.putLong(last ? lastGranule : -1L).putInt(serial).putInt(sequence++).putInt(0).put((byte) n);
            int size = 0;
            for (int i = 0; i < n; i++) {
                int v = Math.min(255, packet.length - offset - size);
                h[HEADER_SIZE + i] = (byte) v;
                size += v;
            }
            byte[] body = Arrays.copyOfRange(packet, offset, offset + size);
            offset += size;
            b.putInt(22, crc(h, body));
            byte[] page = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, page, h.length, body.length);
            pages.add(page);
        }
        return pages;
    }

    /** Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial value 0, no final xor. */
    static int crc(byte[] header, byte[] body) {
        return update(update(0, header), body);
    }

    private static int update(int crc, byte[] data) {
        for (byte d : data) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ d) & 0xff];
        }
        return crc;
    }

    private static int[] crcTable() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int k = 0; k < 8; k++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            t[i] = r;
        }
        return t;
    }

    private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        if (in.readNBytes(b, off, len) < len) {
            throw new EOFException("truncated Ogg page");
        }
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        return b.length - at >= prefix.length && Arrays.equals(b, at, at + prefix.length, prefix, 0, prefix.length);
    }
}
