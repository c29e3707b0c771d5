package io.photomaker.worker.pipeline.face;

/**
 * Bilinear resize and affine warp of 8-bit RGB rasters with OpenCV's conventions, computed in double
 * precision and rounded to the nearest level:
 * <ul>
 * <li>{@link #resize} is {@code cv2.resize(..., INTER_LINEAR)}: pixel centres line up
 * ({@code src = (dst + 0.5) * srcSize / dstSize - 0.5}), and coordinates outside the picture are clamped to
 * the edge pixels;</li>
 * <li>{@link #warpAffine} is {@code cv2.warpAffine(..., INTER_LINEAR, borderValue=0)}: the forward matrix is
 * inverted ({@code cv2.invertAffineTransform}) and each output pixel (x, y) samples the input at
 * {@code M⁻¹ (x, y, 1)}; taps outside the input count as black.</li>
 * </ul>
 * OpenCV itself rounds warp coordinates to 1/32 pixel and uses 15-bit (warp) or 11-bit (resize) integer
 * weights; the results here differ from it by a level or two at most on smooth pictures, and by a few levels
 * next to hard edges (measured in {@code BilinearSamplingTest} against values computed with OpenCV 4.6).
 */
public final class BilinearSampling {

    private BilinearSampling() {
    }

    /** {@code src} resized to {@code width x height}. */
    public static RgbRaster resize(RgbRaster src, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, was " + width + "x" + height);
        }
        int[] x0 = new int[width];
        double[] fx = new double[width];
        edgeClampedTaps(src.width(), width, x0, fx);
        int[] y0 = new int[height];
        double[] fy = new double[height];
        edgeClampedTaps(src.height(), height, y0, fy);
        byte[] out = new byte[width * height * 3];
        int stride = src.width() * 3;
        byte[] in = src.rgb();
        for (int y = 0; y < height; y++) {
            int row0 = y0[y] * stride;
            int row1 = Math.min(y0[y] + 1, src.height() - 1) * stride;
            double wy = fy[y];
            for (int x = 0; x < width; x++) {
                int col0 = x0[x] * 3;
                int col1 = Math.min(x0[x] + 1, src.width() - 1) * 3;
                double wx = fx[x];
                int at = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    double top = (1 - wx) * (in[row0 + col0 + c] & 0xFF) + wx * (in[row0 + col1 + c] & 0xFF);
                    double bottom = (1 - wx) * (in[row1 + col0 + c] & 0xFF) + wx * (in[row1 + col1 + c] & 0xFF);
                    out[at + c] = level((1 - wy) * top + wy * bottom);
                }
            }
        }
        return new RgbRaster(width, height, out);
    }

    /** For each target index: the first source tap and the weight of the second, clamped at the edges. */
    private static void edgeClampedTaps(int srcSize, int dstSize, int[] first, double[] weight) {
        double scale = (double) srcSize / dstSize;
        for (int d = 0; d < dstSize; d++) {
            // OpenCV computes the source coordinate in single precision
            float f = (float) ((d + 0.5) * scale - 0.5);
            int s = (int) Math.floor(f);
            double w = f - s;
            if (s < 0) {
                s = 0;
                w = 0;
            }
            if (s >= srcSize - 1) {
                s = srcSize - 1;
                w = 0;
            }
            first[d] = s;
            weight[d] = w;
        }
    }

    /**
     * {@code src} warped by the forward affine map {@code m} (2x3, row-major: src pixel to output pixel) into a
     * {@code width x height} raster with a black border.
     */
    public static RgbRaster warpAffine(RgbRaster src, double[] m, int width, int height) {
        double[] inv = invertAffine(m);
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sx = inv[0] * x + inv[1] * y + inv[2];
                double sy = inv[3] * x + inv[4] * y + inv[5];
                sampleInto(src, sx, sy, out, (y * width + x) * 3);
            }
        }
        return new RgbRaster(width, height, out);
    }

    private static void sampleInto(RgbRaster src, double sx, double sy, byte[] out, int at) {
        if (!(sx > -1 && sy > -1 && sx < src.width() && sy < src.height())) {
            return; // every tap is outside: the border value, 0
        }
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double wx = sx - x0;
        double wy = sy - y0;
        for (int c = 0; c < 3; c++) {
            double v = (1 - wy) * ((1 - wx) * tap(src, x0, y0, c) + wx * tap(src, x0 + 1, y0, c))
                    + wy * ((1 - wx) * tap(src, x0, y0 + 1, c) + wx * tap(src, x0 + 1, y0 + 1, c));
            out[at + c] = level(v);
        }
    }

    private static int tap(RgbRaster src, int x, int y, int c) {
        return x < 0 || y < 0 || x >= src.width() || y >= src.height() ? 0 : src.sample(x, y, c);
    }

    /**
     * The inverse of a 2x3 affine map, as {@code cv2.invertAffineTransform} computes it (a singular map gives
     * the zero matrix).
     */
    public static double[] invertAffine(double[] m) {
        if (m.length != 6) {
            throw new IllegalArgumentException("an affine map has 6 coefficients, got " + m.length);
        }
        double det = m[0] * m[4] - m[1] * m[3];
        double d = det != 0 ? 1.0 / det : 0;
        double a11 = m[4] * d;
        double a22 = m[0] * d;
        double a12 = -m[1] * d;
        double a21 = -m[3] * d;
        double b1 = -a11 * m[2] - a12 * m[5];
        double b2 = -a21 * m[2] - a22 * m[5];
        return new double[] {a11, a12, b1, a21, a22, b2};
    }

    private static byte level(double v) {
        long r = Math.round(v);
        return (byte) (r < 0 ? 0 : r > 255 ? 255 : r);
    }
}
