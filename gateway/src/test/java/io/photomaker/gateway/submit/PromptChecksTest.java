package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.fixtures.TestJobs;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.prompt.StyleTemplates;
import io.photomaker.gateway.http.ApiError;
import org.junit.jupiter.api.Test;

/** The shared prompt rules as the gateway applies them, with the API's error types. */
class PromptChecksTest {
    private static JobRequest request(String prompt, String negative, String style) {
        return TestJobs.request().prompt(prompt).negativePrompt(negative).style(style).build();
    }

    private static ApiError refused(String prompt, String negative, String style, int embeddings) {
        return assertThrows(ApiError.class, () -> PromptChecks.check(request(prompt, negative, style), embeddings));
    }

    @Test
    void the_trigger_word_right_after_a_class_word_passes_in_every_style() {
        for (String style : StyleTemplates.names()) {
            assertDoesNotThrow(() -> PromptChecks.check(request("a photo of a woman img in the snow", null, style), 4),
                    style);
        }
    }

    @Test
    void trigger_word_problems_keep_the_api_error_types() {
        assertEquals("trigger_word_missing", refused("a photo of a man", null, null, 1).type());
        assertEquals("trigger_word_repeated", refused("a man img and a woman img", null, null, 1).type());
        assertEquals("trigger_word_without_class_word", refused("img of a man", null, null, 1).type());
        assertEquals("trigger_word_without_class_word", refused("a man, img", null, null, 1).type());
        ApiError negative = refused("a man img", "ugly img", null, 1);
        assertEquals("trigger_word_in_negative_prompt", negative.type());
        assertEquals("negative_prompt", negative.field());
        assertEquals(400, negative.status());
    }

    @Test
    void the_client_words_decide_even_when_a_style_would_put_a_word_before_the_trigger() {
        // "cinematic photo img ..." has a word before the trigger, but the client's prompt does not.
        assertEquals("trigger_word_without_class_word", refused("img of a man", null, "Photographic", 1).type());
    }

    @Test
    void an_unknown_style_is_refused_with_the_valid_names() {
        ApiError e = refused("a man img", null, "Vaporwave", 1);
        assertEquals("unknown_style", e.type());
        assertEquals("style", e.field());
        for (String name : StyleTemplates.names()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void the_length_check_counts_the_style_template_and_every_stacked_embedding() {
        // The trigger is word 69: the class word's 8 copies end exactly at token 77 without a style.
        String prompt = "word ".repeat(67) + "a man img";
        assertDoesNotThrow(() -> PromptChecks.check(request(prompt, null, StyleTemplates.NO_STYLE), 8));
        // The template's two words in front ("cinematic photo") push them past the window.
        assertEquals("prompt_too_long", refused(prompt, null, "Photographic", 8).type());
        assertDoesNotThrow(() -> PromptChecks.check(request(prompt, null, "Photographic"), 1));
        assertEquals("prompt_too_long", refused("word ".repeat(70) + "a man img", null, StyleTemplates.NO_STYLE, 8)
                .type());
    }
}
