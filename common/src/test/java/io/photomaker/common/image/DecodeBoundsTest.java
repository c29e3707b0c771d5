package io.photomaker.common.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Decode costs of real files and the budget they are reserved from. */
class DecodeBoundsTest {

    @Test
    void a_progressive_jpeg_counts_its_scans_and_a_baseline_one_has_one() {
        byte[] progressive = TestImages.jpeg(TestImages.quadrants(64, 48), true);
        byte[] baseline = TestImages.jpeg(TestImages.quadrants(64, 48), false);
        JpegLayout p = JpegLayout.read(progressive);
        JpegLayout b = JpegLayout.read(baseline);
        assertTrue(p.progressive() && p.scans() > 1, p.toString());
        assertTrue(!b.progressive() && b.scans() == 1, b.toString());
        assertEquals(3, p.components());
    }

    @Test
    void a_progressive_jpeg_costs_its_coefficients_and_a_baseline_one_only_rows() {
        var image = TestImages.quadrants(512, 512);
        byte[] progressive = TestImages.jpeg(image, true);
        byte[] baseline = TestImages.jpeg(image, false);
        long p = DecodeCost.estimate(progressive, ImageHeader.probe(progressive), 4);
        long b = DecodeCost.estimate(baseline, ImageHeader.probe(baseline), 4);
        assertTrue(p >= 512L * 512 * 2, "progressive: " + p);
        assertTrue(b < p / 4, "baseline: " + b + " vs progressive " + p);
    }

    @Test
    void a_full_decode_costs_more_than_a_subsampled_check() {
        byte[] png = TestImages.png(TestImages.quadrants(400, 300));
        ImageHeader header = ImageHeader.probe(png);
        long full = DecodeCost.estimate(png, header, 1);
        long check = DecodeCost.estimate(png, header, 4);
        assertTrue(full >= 400L * 300 * (3 + 4), "full: " + full);
        assertTrue(check < full, check + " < " + full);
        assertThrows(IllegalArgumentException.class, () -> DecodeCost.estimate(png, header, 0));
    }

    @Test
    void real_webp_files_have_small_costs_and_decode_within_a_small_budget() {
        DecodeBudget budget = DecodeBudget.ofBytes(16L << 20);
        for (String name : new String[] {"lossless-groups.webp", "lossy-alpha-lossless.webp", "lossy-16x8.webp"}) {
            byte[] webp = TestImages.resource(name);
            ImageHeader header = ImageHeader.probe(webp);
            assertTrue(DecodeCost.estimate(webp, header, 1) < 2L << 20, name);
            assertEquals(header.width(), ImageDecoder.decode(webp, 1 << 20, budget).getWidth(), name);
        }
        assertEquals(budget.capacityBytes(), budget.availableBytes());
    }

    @Test
    void a_webp_whose_inner_frame_differs_from_its_canvas_is_corrupt() {
        byte[] webp = TestImages.resource("lossy-alpha-lossless.webp").clone();
        WebpChunks.Chunk vp8x = WebpChunks.list(webp).get(0);
        webp[vp8x.payloadOffset() + 4] = (byte) 200;
        ImageRejected r = assertThrows(ImageRejected.class, () -> ImageHeader.probe(webp));
        assertEquals("corrupt_image", r.type());
    }

    @Test
    void the_budget_refuses_what_exceeds_it_and_gives_back_what_was_taken() {
        DecodeBudget budget = DecodeBudget.ofBytes(32L << 20);
        ImageRejected tooLarge = assertThrows(ImageRejected.class,
                () -> budget.reserve(33L << 20, Duration.ZERO));
        assertEquals("image_too_large", tooLarge.type());
        try (DecodeBudget.Reservation first = budget.reserve(20L << 20, Duration.ZERO)) {
            assertEquals(12L << 20, budget.availableBytes());
            assertThrows(DecodeBudget.Busy.class, () -> budget.reserve(20L << 20, Duration.ofMillis(20)));
            first.close();
            first.close();
            assertEquals(32L << 20, budget.availableBytes(), "a second close gives nothing back twice");
        }
        assertFalse(budget.availableBytes() > budget.capacityBytes());
    }
}
