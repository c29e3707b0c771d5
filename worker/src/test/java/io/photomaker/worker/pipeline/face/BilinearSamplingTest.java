package io.photomaker.worker.pipeline.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Resize and warp against values computed with OpenCV 4.6 (face-reference/reference.txt) and against an
 * independent fixed-point re-statement of OpenCV's warp. The figures in the messages are the closeness that
 * BilinearSampling's Javadoc documents.
 */
class BilinearSamplingTest {

    /** Largest and mean absolute difference over all samples. */
    private record Difference(int max, double mean) {
        static Difference of(RgbRaster a, RgbRaster b) {
            assertEquals(a.width(), b.width());
            assertEquals(a.height(), b.height());
            int max = 0;
            long sum = 0;
            for (int i = 0; i < a.rgb().length; i++) {
                int d = Math.abs((a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF));
                max = Math.max(max, d);
                sum += d;
            }
            return new Difference(max, (double) sum / a.rgb().length);
        }
    }

    @Test
    void resizing_matches_opencv_within_one_level() {
        for (FaceReferenceValues.Line line : FaceReferenceValues.lines("resize")) {
            RgbRaster expected = line.picture();
            RgbRaster src = FaceReferenceValues.pattern(line.get("kind"), line.integer("width"), line.integer("height"));
            RgbRaster ours = BilinearSampling.resize(src, expected.width(), expected.height());
            Difference d = Difference.of(ours, expected);
            assertTrue(d.max() <= 1, line.get("kind") + " " + line.get("out") + ": " + d);
        }
    }

    @Test
    void the_fixed_point_restatement_reproduces_opencv_exactly() {
        for (FaceReferenceValues.Line line : FaceReferenceValues.lines("warp")) {
            RgbRaster src = FaceReferenceValues.pattern(line.get("kind"), line.integer("width"), line.integer("height"));
            RgbRaster expected = line.picture();
            RgbRaster fixed = OpenCvFixedPointWarp.warp(src, line.doubles("matrix"), 112, 112);
            assertEquals(new Difference(0, 0), Difference.of(fixed, expected), line.get("kind"));
        }
    }

    @Test
    void the_warp_is_within_a_level_of_opencv_inside_smooth_pictures_and_a_few_levels_at_hard_edges() {
        for (FaceReferenceValues.Line line : FaceReferenceValues.lines("warp")) {
            RgbRaster src = FaceReferenceValues.pattern(line.get("kind"), line.integer("width"), line.integer("height"));
            double[] matrix = line.doubles("matrix");
            RgbRaster ours = BilinearSampling.warpAffine(src, matrix, 112, 112);
            RgbRaster opencv = line.picture();
            Difference all = Difference.of(ours, opencv);
            Difference inside = Difference.of(interior(ours, src, matrix), interior(opencv, src, matrix));
            if (line.get("kind").equals("smooth")) {
                assertTrue(inside.max() <= 1, "smooth, taps inside the picture: " + inside);
                // where the picture meets the black border, 1/32-pixel rounding moves a 200-level edge
                assertTrue(all.max() <= 4 && all.mean() < 0.1, "smooth, everywhere: " + all);
            } else {
                // a ramp that wraps from 255 to 0 between neighbours has such edges everywhere
                assertTrue(all.max() <= 8 && all.mean() < 1.5, "sharp: " + all);
            }
        }
    }

    /** The raster with every pixel whose source point lies within one pixel of the picture's edge set to 0. */
    private static RgbRaster interior(RgbRaster warped, RgbRaster src, double[] forward) {
        double[] inv = BilinearSampling.invertAffine(forward);
        byte[] out = warped.rgb().clone();
        for (int y = 0; y < warped.height(); y++) {
            for (int x = 0; x < warped.width(); x++) {
                double sx = inv[0] * x + inv[1] * y + inv[2];
                double sy = inv[3] * x + inv[4] * y + inv[5];
                if (!(sx >= 1 && sy >= 1 && sx <= src.width() - 2 && sy <= src.height() - 2)) {
                    java.util.Arrays.fill(out, (y * warped.width() + x) * 3, (y * warped.width() + x) * 3 + 3, (byte) 0);
                }
            }
        }
        return new RgbRaster(warped.width(), warped.height(), out);
    }

    @Test
    void the_identity_map_copies_the_picture_and_a_half_pixel_shift_averages_neighbours() {
        RgbRaster src = FaceReferenceValues.pattern("smooth", 9, 7);
        assertArrayEquals(src.rgb(), BilinearSampling.warpAffine(src, new double[] {1, 0, 0, 0, 1, 0}, 9, 7).rgb());
        // forward map x' = x - 0.5: output pixel x samples input x + 0.5, the mean of x and x + 1
        RgbRaster shifted = BilinearSampling.warpAffine(src, new double[] {1, 0, -0.5, 0, 1, 0}, 9, 7);
        for (int c = 0; c < 3; c++) {
            double mean = (src.sample(3, 2, c) + src.sample(4, 2, c)) / 2.0;
            assertEquals(Math.round(mean), shifted.sample(3, 2, c));
        }
        // the last column's right tap is outside: it reads black
        assertEquals(Math.round(src.sample(8, 2, 0) / 2.0), shifted.sample(8, 2, 0));
    }

    @Test
    void pixels_mapped_entirely_outside_the_picture_are_black() {
        RgbRaster white = new RgbRaster(4, 4, filled(4 * 4 * 3, (byte) 255));
        RgbRaster moved = BilinearSampling.warpAffine(white, new double[] {1, 0, 10, 0, 1, 0}, 8, 8);
        for (int x = 0; x < 8; x++) {
            assertEquals(x >= 10 ? 255 : 0, moved.sample(x, 0, 0), "x " + x);
        }
        assertEquals(0, moved.sample(2, 6, 1));
    }

    @Test
    void resize_clamps_at_the_edges_and_keeps_a_constant_picture_constant() {
        RgbRaster grey = new RgbRaster(5, 3, filled(5 * 3 * 3, (byte) 77));
        RgbRaster up = BilinearSampling.resize(grey, 13, 11);
        for (byte b : up.rgb()) {
            assertEquals(77, b & 0xFF);
        }
        // 2 -> 4 pixels: centres at -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
        RgbRaster two = new RgbRaster(2, 1, new byte[] {0, 0, 0, (byte) 200, (byte) 200, (byte) 200});
        RgbRaster four = BilinearSampling.resize(two, 4, 1);
        assertEquals(0, four.sample(0, 0, 0));
        assertEquals(50, four.sample(1, 0, 0));
        assertEquals(150, four.sample(2, 0, 0));
        assertEquals(200, four.sample(3, 0, 0));
    }

    @Test
    void inverting_an_affine_map_gives_its_inverse() {
        double[] m = {2.0, -0.5, 3.0, 0.25, 1.5, -7.0};
        double[] inv = BilinearSampling.invertAffine(m);
        double x = 4.5;
        double y = -2.0;
        double fx = m[0] * x + m[1] * y + m[2];
        double fy = m[3] * x + m[4] * y + m[5];
        assertEquals(x, inv[0] * fx + inv[1] * fy + inv[2], 1e-12);
        assertEquals(y, inv[3] * fx + inv[4] * fy + inv[5], 1e-12);
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, value);
        return b;
    }
}
