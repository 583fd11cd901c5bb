package org.genretagger.plugin.audio;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * What a decoder is given for a file's audio, digested without decoding it: the audio stream's
 * packets as the demuxer hands them out (data, size, timestamps, duration, flags and side data,
 * such as the skip samples through which FFmpeg applies an MP3's LAME encoder delay and padding,
 * an M4A's priming, an Opus pre-skip and end trimming), and the stream's setup (codec, sample
 * format and rate, channel layout, extradata such as an OpusHead, initial and trailing padding,
 * seek pre-roll, the codec's side data, and gapless information kept in tags: {@code iTunSMPB}).
 * Equal digests mean a decoder gets the same input and so outputs the same samples; this costs
 * about as much as reading the file once, against a whole decode.
 *
 * <p>Left out on purpose, because a tag write legitimately changes them and a decoder never sees
 * them: byte positions, the container's duration and bit rate estimates (derived from the file
 * size), and side data that only carries tags (metadata updates, ReplayGain).
 *
 * @param codec FFmpeg's name of the codec, for messages
 * @param packets how many audio packets the stream has
 * @param setup SHA-256 of the decoder setup, hex
 * @param stream SHA-256 of the packet sequence, hex
 */
public record PacketDigest(String codec, long packets, String setup, String stream) {
    private static final int AVERROR_EAGAIN = -11;
    private static final int MAX_RETRIES = 10_000;
    /** Packet side data that carries tags, not audio: a tag write changes it by design. */
    private static final Set<Integer> TAG_SIDE_DATA = Set.of(AV_PKT_DATA_METADATA_UPDATE, AV_PKT_DATA_STRINGS_METADATA,
            AV_PKT_DATA_REPLAYGAIN);
    /** Tags whose value changes what a gapless player outputs (iTunes' priming and padding). */
    private static final String GAPLESS_TAG = "itunsmpb";

    /**
     * Demuxes a file and digests its audio stream (the one a decoder picks).
     *
     * @param file the audio file
     * @return its digest
     * @throws AudioDecodeException naming the file and the cause, when it cannot be demuxed
     */
    public static PacketDigest of(Path file) throws AudioDecodeException {
        AudioDecoder.checkFile(file);
        String name = AudioDecoder.displayName(file);
        AVFormatContext fmt = new AVFormatContext(null);
        AVDictionary opts = new AVDictionary(null);
        av_dict_set(opts, "protocol_whitelist", "file", 0);
        BytePointer path = DecodedStream.pathBytes(file);
        int r;
        try {
            r = avformat_open_input(fmt, path, (AVInputFormat) null, opts);
        } finally {
            path.deallocate();
            av_dict_free(opts);
        }
        if (r < 0) {
            throw new AudioDecodeException(name + ": " + DecodedStream.openError(r));
        }
        AVPacket pkt = null;
        try {
            // The same parameters the decoder is opened with (some are only known after probing).
            r = avformat_find_stream_info(fmt, (PointerPointer<?>) null);
            if (r < 0) {
                throw new AudioDecodeException(name + ": not an audio file (" + DecodedStream.errorText(r) + ")");
            }
            int idx = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, (PointerPointer<?>) null, 0);
            if (idx < 0) {
                throw new AudioDecodeException(name + ": no audio stream");
            }
            for (int i = 0; i < fmt.nb_streams(); i++) {
                if (i != idx) {
                    fmt.streams(i).discard(AVDISCARD_ALL);
                }
            }
            AVStream st = fmt.streams(idx);
            AVCodecParameters par = st.codecpar();
            BytePointer cn = avcodec_get_name(par.codec_id());
            String codec = cn == null || cn.isNull() ? "unknown" : cn.getString();

            Hasher setup = new Hasher();
            AVChannelLayout ch = par.ch_layout();
            setup.ints(par.codec_type(), par.codec_id(), par.format(), par.sample_rate(), ch.order(), ch.nb_channels(),
                    par.bits_per_coded_sample(), par.bits_per_raw_sample(), par.block_align(), par.frame_size(),
                    par.initial_padding(), par.trailing_padding(), par.seek_preroll(), par.profile(), par.level(),
                    st.time_base().num(), st.time_base().den());
            setup.longs(ch.u_mask());
            setup.bytes(par.extradata(), par.extradata_size());
            for (int i = 0; i < par.nb_coded_side_data(); i++) {
                setup.sideData(par.coded_side_data().getPointer(i));
            }
            setup.gaplessTags(fmt.metadata());
            setup.gaplessTags(st.metadata());

            Hasher stream = new Hasher();
            pkt = av_packet_alloc();
            long packets = 0;
            int retries = 0;
            while (true) {
                r = av_read_frame(fmt, pkt);
                if (r == AVERROR_EAGAIN && ++retries < MAX_RETRIES) {
                    continue;
                }
                retries = 0;
                if (r < 0) {
                    // The decoder stops where the demuxer does (a damaged or truncated container
                    // included), so how the packets end is part of the digest.
                    stream.ints(r == AVERROR_EOF ? 0 : r);
                    break;
                }
                if (pkt.stream_index() == idx) {
                    stream.ints(pkt.size(), pkt.flags(), pkt.side_data_elems());
                    stream.longs(pkt.pts(), pkt.dts(), pkt.duration());
                    stream.bytes(pkt.data(), pkt.size());
                    for (int i = 0; i < pkt.side_data_elems(); i++) {
                        stream.sideData(pkt.side_data().getPointer(i));
                    }
                    packets++;
                }
                av_packet_unref(pkt);
            }
            return new PacketDigest(codec, packets, setup.hex(), stream.hex());
        } finally {
            if (pkt != null) {
                av_packet_free(pkt);
            }
            avformat_close_input(fmt);
        }
    }

    /**
     * @param other the digest of the file this one should equal
     * @return in words, what differs; empty when nothing does
     */
    public String difference(PacketDigest other) {
        if (equals(other)) {
            return "";
        }
        if (!codec.equals(other.codec) || !setup.equals(other.setup)) {
            return "its decoder setup differs (codec parameters, extradata or gapless information)";
        }
        if (packets != other.packets) {
            return String.format(Locale.ROOT, "%d audio packets instead of %d", packets, other.packets);
        }
        return "its audio packets differ";
    }

    /** SHA-256 over numbers and native bytes. */
    private static final class Hasher {
        private final MessageDigest md;
        private final ByteBuffer numbers = ByteBuffer.allocate(8 * 32);

        Hasher() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void ints(int... v) {
            numbers.clear();
            for (int x : v) {
                numbers.putInt(x);
            }
            md.update(numbers.array(), 0, numbers.position());
        }

        void longs(long... v) {
            numbers.clear();
            for (long x : v) {
                numbers.putLong(x);
            }
            md.update(numbers.array(), 0, numbers.position());
        }

        void bytes(BytePointer p, long size) {
            ints((int) Math.max(0, size));
            if (p != null && !p.isNull() && size > 0) {
                md.update(p.capacity(size).asByteBuffer());
            }
        }

        void sideData(AVPacketSideData sd) {
            if (TAG_SIDE_DATA.contains(sd.type())) {
                return;
            }
            ints(sd.type());
            bytes(sd.data(), sd.size());
        }

        void gaplessTags(AVDictionary dict) {
            if (dict == null || dict.isNull()) {
                return;
            }
            for (AVDictionaryEntry e = av_dict_iterate(dict, null); e != null && !e.isNull(); e = av_dict_iterate(dict, e)) {
                String key = e.key().getString(StandardCharsets.UTF_8);
                if (key.toLowerCase(Locale.ROOT).contains(GAPLESS_TAG)) {
                    md.update(key.getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                    md.update(e.value().getString(StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                }
            }
        }

        String hex() {
            return HexFormat.of().formatHex(md.digest());
        }
    }
}
