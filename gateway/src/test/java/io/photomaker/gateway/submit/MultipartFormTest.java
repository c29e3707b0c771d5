package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.support.Multipart;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartFormTest {
    private static final String B = "pm-test-boundary-7e3c1a";

    private static List<MultipartForm.Part> parse(byte[] body) {
        return MultipartForm.parse(body, body.length, B);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void a_field_and_two_files_come_back_with_their_names_types_and_exact_bytes() {
        byte[] a = randomBytes(100_000, 1);
        byte[] b = randomBytes(3, 2);
        byte[] body = new Multipart().field("request", "{\"prompt\":\"x\"}").file("images", "a.png", "image/png", a)
                .file("images", "b.jpg", null, b).build();
        List<MultipartForm.Part> parts = parse(body);
        assertEquals(3, parts.size());
        assertEquals("request", parts.get(0).name());
        assertNull(parts.get(0).filename());
        assertEquals("{\"prompt\":\"x\"}", new String(parts.get(0).bytes(), StandardCharsets.UTF_8));
        assertEquals("a.png", parts.get(1).filename());
        assertEquals("image/png", parts.get(1).contentType());
        assertArrayEquals(a, parts.get(1).bytes());
        assertNull(parts.get(2).contentType());
        assertArrayEquals(b, parts.get(2).bytes());
    }

    @Test
    void content_that_contains_most_of_the_delimiter_is_kept_whole() {
        byte[] tricky = ascii("x\r\n--" + B.substring(0, B.length() - 1) + "Z\r\n--" + B.substring(0, 5) + "--y\r\n");
        byte[] body = new Multipart().file("images", "a.png", "image/png", tricky).build();
        assertArrayEquals(tricky, parse(body).get(0).bytes());
    }

    @Test
    void contents_made_of_the_delimiters_own_bytes_come_back_exactly_at_every_length() {
        // Contents drawn only from the delimiter's bytes keep the search on its slow path: partial matches
        // at every offset, shifts of every size, a match that fails on its first byte and on its last.
        byte[] alphabet = ascii("\r\n--" + B);
        Random random = new Random(7);
        String delimiter = "\r\n--" + B;
        int checked = 0;
        for (int length = 0; length < 400; length++) {
            byte[] content = new byte[length];
            for (int i = 0; i < length; i++) {
                content[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (new String(content, StandardCharsets.ISO_8859_1).contains(delimiter)) {
                continue;
            }
            byte[] second = randomBytes(length % 50, length);
            byte[] body = new Multipart().file("images", "a.png", "image/png", content)
                    .file("images", "b.png", "image/png", second).build();
            List<MultipartForm.Part> parts = parse(body);
            assertEquals(2, parts.size(), "content length " + length);
            assertArrayEquals(content, parts.get(0).bytes(), "content length " + length);
            assertArrayEquals(second, parts.get(1).bytes(), "content length " + length);
            checked++;
        }
        assertTrue(checked > 350, "only " + checked + " contents were free of the delimiter");
    }

    @Test
    void an_empty_part_and_a_preamble_and_an_epilogue_are_accepted() {
        byte[] body = ascii("preamble text\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"request\"\r\n\r\n"
                + "\r\n--" + B + "--\r\nepilogue");
        List<MultipartForm.Part> parts = parse(body);
        assertEquals(1, parts.size());
        assertEquals(0, parts.get(0).length());
    }

    @Test
    void unquoted_names_escaped_quotes_and_utf8_file_names_are_read() {
        byte[] body = ascii("--" + B + "\r\ncontent-disposition: form-data; name=images; filename=\"f\\\"\u00e9.png\"\r\n"
                + "CONTENT-TYPE: image/png\r\n\r\nabc\r\n--" + B + "--");
        MultipartForm.Part p = parse(body).get(0);
        assertEquals("images", p.name());
        assertEquals("f\"\u00e9.png", p.filename());
        assertEquals("image/png", p.contentType());
    }

    @Test
    void a_body_cut_before_its_closing_delimiter_is_refused_as_possibly_cut_short() {
        byte[] whole = new Multipart().field("request", "{}").file("images", "a.png", "image/png", randomBytes(500, 3))
                .build();
        for (int cut : new int[] {whole.length - 3, whole.length - 10, whole.length / 2, 60, 20}) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            MultipartForm.Malformed e = assertThrows(MultipartForm.Malformed.class, () -> parse(part), "cut at " + cut);
            assertTrue(e.getMessage().contains("cut short"), e.getMessage());
        }
    }

    @Test
    void bodies_that_are_not_multipart_are_refused_with_a_reason() {
        assertThrows(MultipartForm.Malformed.class, () -> parse(ascii("{\"prompt\":\"x\"}")));
        assertThrows(MultipartForm.Malformed.class, () -> parse(new byte[0]));
        assertThrows(MultipartForm.Malformed.class, () -> parse(ascii("--" + B + "\r\nX-Other: 1\r\n\r\nabc\r\n--"
                + B + "--")));
        assertThrows(MultipartForm.Malformed.class, () -> parse(ascii("--" + B + "\r\nContent-Disposition: "
                + "attachment; name=\"a\"\r\n\r\nabc\r\n--" + B + "--")));
        assertThrows(MultipartForm.Malformed.class, () -> parse(ascii("--" + B + "junk\r\nContent-Disposition: "
                + "form-data; name=\"a\"\r\n\r\nabc\r\n--" + B + "--")));
        assertThrows(MultipartForm.Malformed.class, () -> parse(ascii("--" + B + "\r\nContent-Disposition: form-data;"
                + " name=\"a\"\r\nContent-Transfer-Encoding: base64\r\n\r\nYWJj\r\n--" + B + "--")));
        assertThrows(MultipartForm.Malformed.class, () -> parse(ascii("--" + B + "\r\nContent-Disposition: form-data;"
                + " filename=\"a.png\"\r\n\r\nabc\r\n--" + B + "--")));
        assertThrows(MultipartForm.Malformed.class, () -> parse(ascii("--" + B + "\r\nContent-Disposition: form-data;"
                + " name=\"a\r\n\r\nabc\r\n--" + B + "--")));
    }

    @Test
    void part_headers_beyond_the_limit_are_refused() {
        String longHeader = "X-Pad: " + "a".repeat(MultipartForm.MAX_HEADER_BYTES) + "\r\n";
        byte[] body = ascii("--" + B + "\r\n" + longHeader + "Content-Disposition: form-data; name=\"a\"\r\n\r\nabc\r\n--"
                + B + "--");
        MultipartForm.Malformed e = assertThrows(MultipartForm.Malformed.class, () -> parse(body));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }

    @Test
    void only_the_given_length_of_the_array_is_read() {
        byte[] body = new Multipart().field("request", "{}").build();
        byte[] padded = java.util.Arrays.copyOf(body, body.length + 100);
        assertEquals(1, MultipartForm.parse(padded, body.length, B).size());
        assertThrows(MultipartForm.Malformed.class, () -> MultipartForm.parse(padded, body.length - 4, B));
    }

    @Test
    void the_boundary_is_read_from_the_content_type_quoted_or_not() {
        assertEquals("abc", MultipartForm.boundary("multipart/form-data; boundary=abc"));
        assertEquals("a b:c", MultipartForm.boundary("multipart/form-data; charset=utf-8; BOUNDARY=\"a b:c\""));
        assertEquals("x", MultipartForm.boundary("multipart/form-data;boundary=x;charset=utf-8"));
        assertNull(MultipartForm.boundary("multipart/form-data"));
        assertNull(MultipartForm.boundary("multipart/form-data; boundary="));
        assertNull(MultipartForm.boundary("multipart/form-data; boundary=\"\""));
        assertNull(MultipartForm.boundary("multipart/form-data; boundary=" + "x".repeat(MultipartForm.MAX_BOUNDARY + 1)));
        assertNull(MultipartForm.boundary("multipart/form-data; boundary=a\u0001b"));
        assertNull(MultipartForm.boundary(null));
    }

    @Test
    void random_garbage_never_escapes_as_anything_but_malformed() {
        Random r = new Random(7);
        byte[] good = new Multipart().field("request", "{}").file("images", "a.png", "image/png", randomBytes(300, 4))
                .build();
        for (int i = 0; i < 2000; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 1 + r.nextInt(4); k++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            int len = r.nextInt(b.length + 1);
            try {
                MultipartForm.parse(b, len, B);
            } catch (MultipartForm.Malformed expected) {
                // refusing is fine; any other exception is a bug
            }
        }
    }

    @Test
    void parsing_stops_at_the_first_part_over_the_limit_however_many_follow() {
        Multipart many = new Multipart();
        for (int i = 0; i < 20_000; i++) {
            many.field("x", "");
        }
        byte[] body = many.build();
        MultipartForm.TooManyParts e = assertThrows(MultipartForm.TooManyParts.class,
                () -> MultipartForm.parse(body, body.length, B, 18));
        assertTrue(e.getMessage().contains("18"), e.getMessage());
        assertEquals(18, MultipartForm.parse(body, body.length, B, 20_000).stream().limit(18).count());
    }
}
