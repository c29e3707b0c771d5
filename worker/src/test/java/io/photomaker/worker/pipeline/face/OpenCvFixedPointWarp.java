package io.photomaker.worker.pipeline.face;

/**
 * An independent re-statement of OpenCV's 8-bit {@code warpAffine} with INTER_LINEAR and a constant border, as
 * its classic C++ code computes it (imgproc/src/imgwarp.cpp, OpenCV 4.6): the inverse map is evaluated in
 * fixed point with AB_BITS = 10 (rounded with {@code cvRound}), coordinates are cut to 1/32 pixel
 * (INTER_BITS = 5, adding half a step first), and the four taps are weighted with 15-bit integers
 * ({@code (32 - fy)(32 - fx) * 32} and so on, which sum to exactly 32768) and rounded with {@code + 2^14 >> 15}.
 * A pixel with every tap outside is the border value; otherwise outside taps read the border value.
 */
final class OpenCvFixedPointWarp {
    private static final int INTER_BITS = 5;
    private static final int INTER_TAB_SIZE = 1 << INTER_BITS;
    private static final int AB_BITS = 10;
    private static final int AB_SCALE = 1 << AB_BITS;
    private static final int ROUND_DELTA = AB_SCALE / INTER_TAB_SIZE / 2;
    private static final int COEF_BITS = 15;

    private OpenCvFixedPointWarp() {
    }

    static RgbRaster warp(RgbRaster src, double[] forward, int width, int height) {
        double[] m = BilinearSampling.invertAffine(forward);
        int[] adelta = new int[width];
        int[] bdelta = new int[width];
        for (int x = 0; x < width; x++) {
            adelta[x] = cvRound(m[0] * x * AB_SCALE);
            bdelta[x] = cvRound(m[3] * x * AB_SCALE);
        }
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int x0 = cvRound((m[1] * y + m[2]) * AB_SCALE) + ROUND_DELTA;
            int y0 = cvRound((m[4] * y + m[5]) * AB_SCALE) + ROUND_DELTA;
            for (int x = 0; x < width; x++) {
                int bigX = (x0 + adelta[x]) >> (AB_BITS - INTER_BITS);
                int bigY = (y0 + bdelta[x]) >> (AB_BITS - INTER_BITS);
                int sx = bigX >> INTER_BITS;
                int sy = bigY >> INTER_BITS;
                int fx = bigX & (INTER_TAB_SIZE - 1);
                int fy = bigY & (INTER_TAB_SIZE - 1);
                sample(src, sx, sy, fx, fy, out, (y * width + x) * 3);
            }
        }
        return new RgbRaster(width, height, out);
    }

    private static void sample(RgbRaster src, int sx, int sy, int fx, int fy, byte[] out, int at) {
        if (sx >= src.width() || sx + 1 < 0 || sy >= src.height() || sy + 1 < 0) {
            return;
        }
        int w00 = (INTER_TAB_SIZE - fy) * (INTER_TAB_SIZE - fx) * 32;
        int w01 = (INTER_TAB_SIZE - fy) * fx * 32;
        int w10 = fy * (INTER_TAB_SIZE - fx) * 32;
        int w11 = fy * fx * 32;
        for (int c = 0; c < 3; c++) {
            int v = tap(src, sx, sy, c) * w00 + tap(src, sx + 1, sy, c) * w01
                    + tap(src, sx, sy + 1, c) * w10 + tap(src, sx + 1, sy + 1, c) * w11;
            int level = (v + (1 << (COEF_BITS - 1))) >> COEF_BITS;
            out[at + c] = (byte) Math.max(0, Math.min(255, level));
        }
    }

    private static int tap(RgbRaster src, int x, int y, int c) {
        return x < 0 || y < 0 || x >= src.width() || y >= src.height() ? 0 : src.sample(x, y, c);
    }

    /** OpenCV's cvRound: to nearest, ties to even (lrint in the default rounding mode). */
    private static int cvRound(double v) {
        return (int) Math.rint(v);
    }
}
