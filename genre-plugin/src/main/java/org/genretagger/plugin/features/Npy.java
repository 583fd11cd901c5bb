package org.genretagger.plugin.features;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal NumPy {@code .npy} reader and writer for 2-D float arrays.
 *
 * <p>Writes {@code '<f4'}, C order, format 1.0 (what {@code np.save} writes for a float32 matrix).
 * Reads {@code '<f4'}, {@code '<f8'}, {@code '>f4'} and {@code '>f8'}, C or Fortran order, 1-D (as one
 * row) or 2-D, format 1.x to 3.x. Stateless and thread-safe.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?[a-z]\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * Reads a float array: 1-D as a single row, 2-D as is, more dimensions with the leading ones folded into rows.
     *
     * @param file the .npy file
     * @return {@code [rows][cols]} as float32
     * @throws IOException when unreadable or not a supported .npy
     */
    public static float[][] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.getFileName() + ":")) {
                throw e;
            }
            throw new IOException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a 2-D (or 1-D, as a single row) float array from a stream (not closed).
     *
     * @param raw the stream, positioned at the magic string
     * @return {@code [rows][cols]} as float32
     * @throws IOException when not a supported .npy
     */
    public static float[][] read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        byte[] magic = new byte[6];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a .npy file (bad magic)");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        long headerLen;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        } else if (major == 2 || major == 3) {
            headerLen = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
        } else {
            throw new IOException("unsupported .npy format version " + major);
        }
        if (headerLen > 1 << 20) {
            throw new IOException(".npy header too long: " + headerLen);
        }
        byte[] hb = new byte[(int) headerLen];
        in.readFully(hb);
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException("malformed .npy header: " + header.trim());
        }
        String descr = d.group(1);
        ByteOrder order;
        int width;
        switch (descr) {
            case "<f4", "=f4" -> { order = ByteOrder.LITTLE_ENDIAN; width = 4; }
            case ">f4" -> { order = ByteOrder.BIG_ENDIAN; width = 4; }
            case "<f8", "=f8" -> { order = ByteOrder.LITTLE_ENDIAN; width = 8; }
            case ">f8" -> { order = ByteOrder.BIG_ENDIAN; width = 8; }
            default -> throw new IOException("unsupported .npy dtype " + descr + " (need float32 or float64)");
        }
        boolean fortran = f.group(1).equals("True");
        String[] dims = s.group(1).split(",");
        java.util.List<Long> shape = new java.util.ArrayList<>();
        for (String dim : dims) {
            String t = dim.trim();
            if (!t.isEmpty()) {
                shape.add(Long.parseLong(t));
            }
        }
        if (shape.isEmpty() || (fortran && shape.size() > 2)) {
            throw new IOException("unsupported .npy shape (" + s.group(1) + "): need 1-D or more, C order beyond 2-D");
        }
        // Leading dimensions fold into rows: (patches, frames, mels) reads as (patches * frames, mels).
        long cols = shape.get(shape.size() - 1);
        long rows = 1;
        for (int i = 0; i < shape.size() - 1; i++) {
            rows *= shape.get(i);
        }
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || rows * cols > Integer.MAX_VALUE) {
            throw new IOException(".npy array too large: " + rows + " x " + cols);
        }
        float[][] out = new float[(int) rows][(int) cols];
        long total = rows * cols;
        byte[] chunk = new byte[width * 8192];
        ByteBuffer bb = ByteBuffer.wrap(chunk).order(order);
        long done = 0;
        while (done < total) {
            int n = (int) Math.min(8192, total - done);
            try {
                in.readFully(chunk, 0, n * width);
            } catch (EOFException e) {
                throw new IOException(".npy data truncated: " + done + " of " + total + " values", e);
            }
            bb.clear();
            for (int i = 0; i < n; i++) {
                long idx = done + i;
                float v = width == 4 ? bb.getFloat() : (float) bb.getDouble();
                if (fortran) {
                    out[(int) (idx % rows)][(int) (idx / rows)] = v;
                } else {
                    out[(int) (idx / cols)][(int) (idx % cols)] = v;
                }
            }
            done += n;
        }
        return out;
    }

    /**
     * Writes a rectangular 2-D array as float32, C order, like {@code np.save}.
     *
     * @param file destination (replaced)
     * @param data {@code [rows][cols]}, every row the same length
     * @throws IOException on write failure
     */
    public static void write(Path file, float[][] data) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, data);
        }
    }

    /**
     * Writes a rectangular 2-D array as float32, C order (stream not closed, but flushed).
     *
     * @param raw destination stream
     * @param data {@code [rows][cols]}
     * @throws IOException on write failure
     */
    public static void write(OutputStream raw, float[][] data) throws IOException {
        int rows = data.length;
        int cols = rows == 0 ? 0 : data[0].length;
        for (float[] row : data) {
            if (row.length != cols) {
                throw new IllegalArgumentException("ragged array: rows of " + cols + " and " + row.length);
            }
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        // np.save pads with spaces so that the data starts on a 64-byte boundary, ending with '\n'.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        OutputStream out = new BufferedOutputStream(raw, 1 << 16);
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        int hl = header.length();
        out.write(hl & 0xff);
        out.write((hl >>> 8) & 0xff);
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer bb = ByteBuffer.allocate(Math.max(4, cols * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : data) {
            bb.clear();
            for (float v : row) {
                bb.putFloat(v);
            }
            out.write(bb.array(), 0, cols * 4);
        }
        out.flush();
    }
}
