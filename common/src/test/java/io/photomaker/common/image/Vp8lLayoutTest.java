package io.photomaker.common.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lossless walker against real files written by libwebp's cwebp: reading every group's codes and every
 * symbol of the main image must end exactly where the stream does, which fails if any sub-image, code or group
 * count were read wrong.
 */
class Vp8lLayoutTest {

    @Test
    void the_walk_of_a_real_lossless_file_ends_at_its_last_byte() {
        byte[] webp = TestImages.resource("lossless-groups.webp");
        WebpChunks.Chunk c = WebpChunks.image(WebpChunks.list(webp));
        int left = Vp8lLayout.readToEnd(webp, c.payloadOffset() + 5, c.payloadLength() - 5, 192, 128);
        assertTrue(left <= 4, "bytes left after the last pixel: " + left);
        Vp8lLayout layout = Vp8lLayout.read(webp, c.payloadOffset() + 5, c.payloadLength() - 5, 192, 128);
        assertTrue(layout.huffmanGroups() > 1, "the fixture uses several groups: " + layout);
    }

    @Test
    void the_lossless_alpha_plane_of_a_lossy_file_walks_to_its_end() {
        byte[] webp = TestImages.resource("lossy-alpha-lossless.webp");
        List<WebpChunks.Chunk> chunks = WebpChunks.list(webp);
        WebpChunks.Chunk alpha = WebpChunks.alpha(chunks);
        assertEquals(1, webp[alpha.payloadOffset()] & 0x03, "alpha is losslessly compressed");
        int left = Vp8lLayout.readToEnd(webp, alpha.payloadOffset() + 1, alpha.payloadLength() - 1, 192, 128);
        assertTrue(left <= 4, "bytes left after the last pixel: " + left);
    }

    @Test
    void small_fixtures_walk_to_their_end_too() {
        for (String name : List.of("lossless-5x3.webp", "lossless-alpha-4x2.webp", "lossless-palette.webp",
                "lossless-smooth.webp")) {
            byte[] webp = TestImages.resource(name);
            WebpChunks.Chunk c = WebpChunks.image(WebpChunks.list(webp));
            WebpChunks.Frame f = WebpChunks.frame(webp, c);
            int left = Vp8lLayout.readToEnd(webp, c.payloadOffset() + 5, c.payloadLength() - 5, f.width(), f.height());
            assertTrue(left <= 4, name + ": bytes left after the last pixel: " + left);
        }
    }

    @Test
    void a_cut_short_stream_is_corrupt() {
        byte[] webp = TestImages.resource("lossless-groups.webp");
        WebpChunks.Chunk c = WebpChunks.image(WebpChunks.list(webp));
        ImageRejected r = assertThrows(ImageRejected.class,
                () -> Vp8lLayout.readToEnd(webp, c.payloadOffset() + 5, 200, 192, 128));
        assertEquals("corrupt_image", r.type());
    }
}
