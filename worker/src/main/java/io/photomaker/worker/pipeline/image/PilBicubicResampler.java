package io.photomaker.worker.pipeline.image;

/**
 * Bicubic resizing of packed 8-bit RGB pixels that reproduces Pillow's {@code Image.resize(size, BICUBIC)} to the
 * byte: a separable convolution (horizontal pass first) with the cubic kernel a = -0.5, whose support is widened by
 * the scale factor when shrinking (antialiasing), weights normalised per output pixel and quantised to 22-bit
 * fixed point, and results rounded and clipped to 8 bits after each pass. An axis whose size does not change is
 * copied, as in Pillow.
 *
 * <p>Only a window of the output can be produced (e.g. the centre crop that follows): every output pixel depends
 * only on its own input neighbourhood, so the window's bytes equal those of the full resize.
 */
final class PilBicubicResampler {

    private static final double SUPPORT = 2.0;
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    /** Per output pixel: first input index, tap count and fixed-point weights (kernelSize per pixel). */
    record Coefficients(int[] first, int[] count, int[] weights, int kernelSize) {
    }

    private PilBicubicResampler() {
    }

    /** Pillow's cubic convolution kernel with a = -0.5. */
    static double kernel(double x) {
        double a = -0.5;
        double t = Math.abs(x);
        if (t < 1.0) {
            return ((a + 2.0) * t - (a + 3.0)) * t * t + 1;
        }
        if (t < 2.0) {
            return (((t - 5) * t + 8) * t - 4) * a;
        }
        return 0.0;
    }

    /** The taps and weights for resampling an axis of {@code inSize} pixels to {@code outSize}. */
    static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(1.0, scale);
        double support = SUPPORT * filterScale;
        int kernelSize = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * kernelSize];
        double[] taps = new double[kernelSize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double inverseScale = 1.0 / filterScale;
            int min = Math.max(0, (int) (center - support + 0.5));
            int max = Math.min(inSize, (int) (center + support + 0.5)) - min;
            double total = 0.0;
            for (int x = 0; x < max; x++) {
                taps[x] = kernel((x + min - center + 0.5) * inverseScale);
                total += taps[x];
            }
            for (int x = 0; x < max; x++) {
                double w = total != 0.0 ? taps[x] / total : taps[x];
                weights[xx * kernelSize + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
                        : 0.5 + w * (1 << PRECISION_BITS));
            }
            first[xx] = min;
            count[xx] = max;
        }
        return new Coefficients(first, count, weights, kernelSize);
    }

    /**
     * Resizes {@code source} ({@code width x height}, packed 0xRRGGBB) to {@code outWidth x outHeight} and returns
     * the window at ({@code left}, {@code top}) of size {@code windowWidth x windowHeight}, packed row-major.
     */
    static int[] resizeWindow(int[] source, int width, int height, int outWidth, int outHeight, int left, int top,
            int windowWidth, int windowHeight) {
        if (left < 0 || top < 0 || left + windowWidth > outWidth || top + windowHeight > outHeight) {
            throw new IllegalArgumentException("window outside the " + outWidth + "x" + outHeight + " output");
        }
        boolean vertical = outHeight != height;
        Coefficients rows = vertical ? coefficients(height, outHeight) : null;
        int firstRow = vertical ? rows.first()[top] : top;
        int lastRow = vertical
                ? rows.first()[top + windowHeight - 1] + rows.count()[top + windowHeight - 1]
                : top + windowHeight;
        int[] horizontal = horizontalPass(source, width, outWidth, firstRow, lastRow, left, windowWidth);
        if (!vertical) {
            return horizontal;
        }
        return verticalPass(horizontal, windowWidth, rows, firstRow, top, windowHeight);
    }

    private static int[] horizontalPass(int[] source, int width, int outWidth, int firstRow, int lastRow, int left,
            int windowWidth) {
        int rowCount = lastRow - firstRow;
        int[] out = new int[rowCount * windowWidth];
        if (outWidth == width) {
            for (int y = 0; y < rowCount; y++) {
                System.arraycopy(source, (firstRow + y) * width + left, out, y * windowWidth, windowWidth);
            }
            return out;
        }
        Coefficients columns = coefficients(width, outWidth);
        int kernelSize = columns.kernelSize();
        for (int y = 0; y < rowCount; y++) {
            int rowStart = (firstRow + y) * width;
            for (int xx = 0; xx < windowWidth; xx++) {
                int column = left + xx;
                int min = columns.first()[column];
                int taps = columns.count()[column];
                int weightStart = column * kernelSize;
                int r = HALF;
                int g = HALF;
                int b = HALF;
                for (int x = 0; x < taps; x++) {
                    int pixel = source[rowStart + min + x];
                    int w = columns.weights()[weightStart + x];
                    r += ((pixel >> 16) & 0xFF) * w;
                    g += ((pixel >> 8) & 0xFF) * w;
                    b += (pixel & 0xFF) * w;
                }
                out[y * windowWidth + xx] = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
            }
        }
        return out;
    }

    private static int[] verticalPass(int[] rowsIn, int width, Coefficients rows, int firstRow, int top,
            int windowHeight) {
        int kernelSize = rows.kernelSize();
        int[] out = new int[windowHeight * width];
        for (int yy = 0; yy < windowHeight; yy++) {
            int row = top + yy;
            int min = rows.first()[row] - firstRow;
            int taps = rows.count()[row];
            int weightStart = row * kernelSize;
            for (int x = 0; x < width; x++) {
                int r = HALF;
                int g = HALF;
                int b = HALF;
                for (int y = 0; y < taps; y++) {
                    int pixel = rowsIn[(min + y) * width + x];
                    int w = rows.weights()[weightStart + y];
                    r += ((pixel >> 16) & 0xFF) * w;
                    g += ((pixel >> 8) & 0xFF) * w;
                    b += (pixel & 0xFF) * w;
                }
                out[yy * width + x] = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
            }
        }
        return out;
    }

    /** Fixed point to a byte: floor division by 2^22, clamped to 0..255 (Pillow's lookup table). */
    private static int clip8(int value) {
        int shifted = value >> PRECISION_BITS;
        return shifted < 0 ? 0 : Math.min(shifted, 255);
    }
}
