package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.Multipart;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every way a submission can be refused, each answered 4xx with a precise error type over real HTTP. */
class SubmissionValidationTest {
    static final String TENANT = TestGateway.tenant("valid");
    static final String KEY = TestGateway.keyOf(TENANT);
    static final int MAX_IMAGE_BYTES = 300_000;
    static final long MAX_BODY = 2_000_000;
    static TestGateway gw;
    static ApiClient api;
    static final byte[] PNG = TestImages.png(64, 64, 11);

    @BeforeAll
    static void start() {
        gw = TestGateway.start(TestGateway.config(10_000, 10_000, TENANT)
                .withImageLimits(MAX_BODY, MAX_IMAGE_BYTES, 1_000_000));
        api = gw.client();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static void assertRefused(ApiClient.Response r, int status, String type, String field) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(type, r.errorType(), r.toString());
        if (field != null) {
            assertEquals(field, r.json().at("/error/field").asText(), r.toString());
        }
        assertTrue(r.json().at("/error/message").asText().length() > 5, r.toString());
    }

    private static ApiClient.Response submitWith(String request) {
        return api.submit(KEY, request, PNG);
    }

    @Test
    void a_missing_prompt_is_missing_field() {
        assertRefused(submitWith("{\"num_steps\":4}"), 400, "missing_field", "prompt");
    }

    @Test
    void a_prompt_over_two_thousand_characters_is_too_long() {
        String prompt = "a photo of a man img " + "x".repeat(2000);
        assertRefused(submitWith("{\"prompt\":\"" + prompt + "\"}"), 400, "prompt_too_long", "prompt");
    }

    @Test
    void steps_out_of_range_are_refused() {
        assertRefused(submitWith("{\"prompt\":\"a man img\",\"num_steps\":1000}"), 400, "out_of_range", "num_steps");
    }

    @Test
    void a_width_that_is_not_a_multiple_of_eight_is_refused() {
        assertRefused(submitWith("{\"prompt\":\"a man img\",\"width\":100}"), 400, "invalid_size", "width");
    }

    @Test
    void an_unknown_scheduler_is_refused() {
        assertRefused(submitWith("{\"prompt\":\"a man img\",\"scheduler\":\"magic\"}"), 400, "unknown_scheduler", "scheduler");
    }

    @Test
    void an_unknown_output_format_or_a_quality_outside_one_to_a_hundred_is_refused() {
        assertRefused(submitWith("{\"prompt\":\"a man img\",\"output_format\":\"gif\"}"), 400,
                "invalid_output_format", "output_format");
        assertRefused(submitWith("{\"prompt\":\"a man img\",\"output_format\":\"jpeg\",\"output_quality\":0}"),
                400, "out_of_range", "output_quality");
    }

    @Test
    void a_number_sent_as_a_string_is_the_wrong_type() {
        assertRefused(submitWith("{\"prompt\":\"a man img\",\"num_steps\":\"30\"}"), 400, "invalid_type", "num_steps");
    }

    @Test
    void a_fraction_for_an_integer_field_is_the_wrong_type() {
        assertRefused(submitWith("{\"prompt\":\"a man img\",\"seed\":1.5}"), 400, "invalid_type", "seed");
    }

    @Test
    void a_misspelled_field_is_an_unknown_field() {
        assertRefused(submitWith("{\"prompt\":\"a man img\",\"num_step\":30}"), 400, "unknown_field", "num_step");
    }

    @Test
    void broken_json_in_the_request_part_is_invalid_json() {
        assertRefused(submitWith("{\"prompt\":\"a man img\","), 400, "invalid_json", null);
    }

    @Test
    void a_json_array_instead_of_an_object_is_invalid_json() {
        assertRefused(submitWith("[1,2]"), 400, "invalid_json", null);
    }

    @Test
    void an_unsupported_webhook_event_is_refused() {
        assertRefused(submitWith("{\"prompt\":\"a man img\",\"webhook\":\"https://example.com/h\",\"webhook_events\":[\"everything\"]}"),
                400, "invalid_webhook_events", "webhook_events");
    }

    @Test
    void an_unknown_style_is_refused_with_the_valid_names() {
        ApiClient.Response r = submitWith("{\"prompt\":\"a man img\",\"style\":\"Vaporwave\"}");
        assertRefused(r, 400, "unknown_style", "style");
        assertTrue(r.json().at("/error/message").asText().contains("Photographic (Default)"), r.toString());
    }

    @Test
    void a_prompt_without_the_trigger_word_is_refused() {
        assertRefused(submitWith("{\"prompt\":\"a photo of a man\"}"), 400, "trigger_word_missing", "prompt");
    }

    @Test
    void a_prompt_with_the_trigger_word_twice_is_refused() {
        assertRefused(submitWith("{\"prompt\":\"a man img and a woman img\"}"), 400, "trigger_word_repeated", "prompt");
    }

    @Test
    void a_trigger_word_not_right_after_a_class_word_is_refused() {
        assertRefused(submitWith("{\"prompt\":\"img of a man\"}"), 400, "trigger_word_without_class_word", "prompt");
        assertRefused(submitWith("{\"prompt\":\"a man, img\"}"), 400, "trigger_word_without_class_word", "prompt");
    }

    @Test
    void the_trigger_word_in_the_negative_prompt_is_refused() {
        assertRefused(submitWith("{\"prompt\":\"a man img\",\"negative_prompt\":\"img\"}"), 400,
                "trigger_word_in_negative_prompt", "negative_prompt");
    }

    @Test
    void a_submission_without_photos_is_refused() {
        assertRefused(api.submit(KEY, TestGateway.GOOD_REQUEST), 400, "no_id_images", "images");
    }

    @Test
    void more_than_eight_photos_are_refused() {
        byte[][] nine = new byte[9][];
        Arrays.fill(nine, PNG);
        assertRefused(api.submit(KEY, TestGateway.GOOD_REQUEST, nine), 400, "too_many_images", "images");
    }

    @Test
    void a_photo_over_the_byte_limit_is_refused_while_it_streams() {
        byte[] big = TestImages.png(400, 400, 12);
        assertTrue(big.length > MAX_IMAGE_BYTES);
        assertRefused(api.submit(KEY, TestGateway.GOOD_REQUEST, PNG, big), 400, "image_too_large", "images[1]");
    }

    @Test
    void a_tiny_png_declaring_huge_dimensions_is_refused_from_its_header() {
        // The file has a header and no pixel data: decoding it would fail as malformed, so a refusal that
        // names the declared size shows the header check answered before any decoding.
        byte[] bomb = TestImages.pngHeaderOnly(60_000, 60_000);
        ApiClient.Response r = api.submit(KEY, TestGateway.GOOD_REQUEST, bomb);
        assertRefused(r, 400, "image_too_large", "images[0]");
        assertTrue(r.json().at("/error/message").asText().contains("60000x60000"), r.toString());
    }

    @Test
    void a_gif_is_an_unsupported_format() {
        byte[] gif = "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;".getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(api.submit(KEY, TestGateway.GOOD_REQUEST, gif), 400, "unsupported_image_format", "images[0]");
    }

    @Test
    void a_text_file_disguised_as_a_png_is_an_unsupported_format() {
        Multipart m = new Multipart().field("request", TestGateway.GOOD_REQUEST)
                .file("images", "me.png", "image/png", "this is not an image at all".getBytes(StandardCharsets.UTF_8));
        assertRefused(api.send("POST", "/v1/jobs", KEY, m.build(), m.contentType(), Map.of()), 400,
                "unsupported_image_format", "images[0]");
    }

    @Test
    void a_png_sent_as_a_jpeg_is_a_type_mismatch() {
        Multipart m = new Multipart().field("request", TestGateway.GOOD_REQUEST).file("images", "me.jpg", "image/jpeg", PNG);
        assertRefused(api.send("POST", "/v1/jobs", KEY, m.build(), m.contentType(), Map.of()), 400,
                "image_type_mismatch", "images[0]");
    }

    @Test
    void a_truncated_png_is_corrupt() {
        byte[] cut = TestImages.truncated(PNG, PNG.length / 2);
        assertRefused(api.submit(KEY, TestGateway.GOOD_REQUEST, cut), 400, "corrupt_image", "images[0]");
    }

    @Test
    void a_truncated_jpeg_is_corrupt() {
        byte[] jpeg = TestImages.jpeg(64, 64, 13);
        assertRefused(api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.truncated(jpeg, jpeg.length / 2)), 400,
                "corrupt_image", "images[0]");
    }

    @Test
    void a_png_whose_pixel_data_is_garbage_is_corrupt() {
        byte[] bad = PNG.clone();
        for (int i = 60; i < bad.length - 20; i++) {
            bad[i] = (byte) (i * 31);
        }
        assertRefused(api.submit(KEY, TestGateway.GOOD_REQUEST, bad), 400, "corrupt_image", "images[0]");
    }

    @Test
    void a_truncated_webp_is_corrupt() {
        byte[] webp = TestImages.webpLossy();
        assertRefused(api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.truncated(webp, webp.length / 2)), 400,
                "corrupt_image", "images[0]");
    }

    @Test
    void a_multipart_body_without_a_request_part_is_refused() {
        Multipart m = new Multipart().file("images", "a.png", "image/png", PNG);
        assertRefused(api.send("POST", "/v1/jobs", KEY, m.build(), m.contentType(), Map.of()), 400, "missing_field", "request");
    }

    @Test
    void a_multipart_body_without_its_closing_boundary_is_refused_as_possibly_cut_short() {
        Multipart m = new Multipart().field("request", TestGateway.GOOD_REQUEST).file("images", "a.png", "image/png", PNG);
        assertRefused(api.send("POST", "/v1/jobs", KEY, m.unterminated(), m.contentType(), Map.of()), 400,
                "malformed_multipart", null);
    }

    @Test
    void an_unknown_multipart_part_is_refused() {
        Multipart m = new Multipart().field("request", TestGateway.GOOD_REQUEST).file("photo", "a.png", "image/png", PNG);
        assertRefused(api.send("POST", "/v1/jobs", KEY, m.build(), m.contentType(), Map.of()), 400, "unknown_part", "photo");
    }

    @Test
    void a_json_submission_with_a_bad_data_uri_is_refused() {
        String json = "{\"prompt\":\"a man img\",\"images\":[\"data:image/png,notbase64\"]}";
        assertRefused(api.postJson("/v1/jobs", KEY, json, Map.of()), 400, "invalid_data_uri", "images[0]");
        String broken = "{\"prompt\":\"a man img\",\"images\":[\"data:image/png;base64,@@@@\"]}";
        assertRefused(api.postJson("/v1/jobs", KEY, broken, Map.of()), 400, "invalid_data_uri", "images[0]");
    }

    @Test
    void a_json_submission_with_images_that_are_not_strings_is_refused() {
        assertRefused(api.postJson("/v1/jobs", KEY, "{\"prompt\":\"a man img\",\"images\":[42]}", Map.of()), 400,
                "invalid_data_uri", "images[0]");
        assertRefused(api.postJson("/v1/jobs", KEY, "{\"prompt\":\"a man img\",\"images\":\"x\"}", Map.of()), 400,
                "invalid_type", "images");
    }

    @Test
    void a_body_over_the_limit_is_refused_with_413() {
        byte[] body = new byte[(int) MAX_BODY + 10];
        ApiClient.Response r = api.send("POST", "/v1/jobs", KEY, body, "application/json", Map.of());
        assertRefused(r, 413, "body_too_large", null);
    }

    @Test
    void a_body_of_another_media_type_is_refused_with_415() {
        ApiClient.Response r = api.send("POST", "/v1/jobs", KEY, "prompt=x".getBytes(StandardCharsets.UTF_8),
                "text/plain", Map.of());
        assertRefused(r, 415, "unsupported_media_type", null);
    }

    @Test
    void an_idempotency_key_with_control_characters_is_refused() {
        ApiClient.Response r = api.submit(KEY, ApiClient.headers("Idempotency-Key", "a b"), TestGateway.GOOD_REQUEST, PNG);
        assertRefused(r, 400, "invalid_idempotency_key", "Idempotency-Key");
    }
}
