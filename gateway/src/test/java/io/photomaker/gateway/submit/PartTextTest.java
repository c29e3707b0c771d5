package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.photomaker.gateway.http.ApiError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PartTextTest {
    private static final String JSON = "{\"prompt\":\"a woman img in a caf\u00e9\"}";

    @Test
    void a_latin_1_text_part_as_generated_clients_send_it_becomes_the_same_text_in_utf_8() {
        byte[] latin1 = JSON.getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(JSON.getBytes(StandardCharsets.UTF_8),
                PartText.utf8(latin1, "text/plain; charset=ISO-8859-1", "request"));
    }

    @Test
    void a_part_without_a_charset_is_left_for_the_json_reader_to_detect() {
        byte[] utf16 = JSON.getBytes(StandardCharsets.UTF_16);
        assertSame(utf16, PartText.utf8(utf16, "application/json", "request"));
        assertSame(utf16, PartText.utf8(utf16, null, "request"));
    }

    @Test
    void the_charset_parameter_is_found_in_any_case_and_quoted() {
        assertEquals("utf-16LE", PartText.charset("text/plain;Charset=\"utf-16LE\"; format=flowed"));
        assertNull(PartText.charset("text/plain; format=flowed"));
        assertNull(PartText.charset("text/plain; charset="));
    }

    @Test
    void an_unknown_charset_is_an_unsupported_media_type_naming_the_part() {
        ApiError e = assertThrows(ApiError.class,
                () -> PartText.utf8(new byte[] {'{', '}'}, "text/plain; charset=x-no-such", "request"));
        assertEquals(415, e.status());
        assertEquals("request", e.field());
    }
}
