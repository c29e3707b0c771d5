package io.photomaker.worker.pipeline.face;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** The values of face-reference/reference.txt (computed with OpenCV and NumPy, see its README) and its pictures. */
final class FaceReferenceValues {

    /** One line: its kind and its key=value fields. */
    record Line(String kind, Map<String, String> fields) {
        String get(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new IllegalArgumentException(kind + " line has no " + key + ": " + fields.keySet());
            }
            return v;
        }

        double[] doubles(String key) {
            return Arrays.stream(get(key).split(",")).mapToDouble(Double::parseDouble).toArray();
        }

        float[] floats(String key) {
            double[] d = doubles(key);
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }

        int integer(String key) {
            return Integer.parseInt(get(key));
        }

        /** The picture under "pixels", sized by "out" (WxH). */
        RgbRaster picture() {
            String[] size = get("out").split("x");
            int width = Integer.parseInt(size[0]);
            int height = Integer.parseInt(size[1]);
            return new RgbRaster(width, height, inflate(Base64.getDecoder().decode(get("pixels")), width * height * 3));
        }
    }

    private FaceReferenceValues() {
    }

    static List<Line> lines(String kind) {
        List<Line> out = new ArrayList<>();
        for (String text : read().split("\n")) {
            if (text.isBlank() || text.startsWith("#")) {
                continue;
            }
            String[] parts = text.split(" ");
            if (!parts[0].equals(kind)) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
            out.add(new Line(kind, fields));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("reference.txt has no " + kind + " lines");
        }
        return out;
    }

    /** The closed-form test pictures of generate.py. */
    static RgbRaster pattern(String kind, int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    int v = kind.equals("sharp")
                            ? (x * 37 + y * 91 + c * 53 + ((x * y) % 17) * 11) % 256
                            : (int) Math.floor(127.5 + 100.0 * Math.sin(x * 0.11 + c) * Math.cos(y * 0.07 - c * 0.5) + 0.5);
                    rgb[(y * width + x) * 3 + c] = (byte) v;
                }
            }
        }
        return new RgbRaster(width, height, rgb);
    }

    private static String read() {
        try (InputStream in = FaceReferenceValues.class.getResourceAsStream("/face-reference/reference.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] inflate(byte[] compressed, int size) {
        Inflater inflater = new Inflater();
        inflater.setInput(compressed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        byte[] chunk = new byte[8192];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && inflater.needsInput()) {
                    break;
                }
                out.write(chunk, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        } finally {
            inflater.end();
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length != size) {
            throw new IllegalStateException("picture has " + bytes.length + " bytes, expected " + size);
        }
        return bytes;
    }
}
