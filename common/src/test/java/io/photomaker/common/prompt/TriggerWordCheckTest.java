package io.photomaker.common.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Word-level prompt checks the gateway runs before queueing. */
class TriggerWordCheckTest {

    private static PromptError rejected(String prompt, String negative, int images, int tokensPerImage) {
        return assertThrows(PromptError.class,
                () -> TriggerWordCheck.validate(prompt, negative, "img", images, tokensPerImage));
    }

    @Test
    void a_good_prompt_returns_the_trigger_position_and_class_word() {
        TriggerLocation at = TriggerWordCheck.validate("A photo of a Woman IMG, wearing a spacesuit",
                "nsfw, lowres", "img", 2, 2);
        assertEquals(5, at.triggerIndex());
        assertEquals("woman", at.classWord());
        assertEquals(List.of("a", "photo", "of", "a", "woman", ",", "wearing", "a", "spacesuit"),
                at.wordsWithoutTrigger());
    }

    @Test
    void a_prompt_without_the_trigger_word_is_rejected() {
        PromptError error = rejected("a photo of a woman wearing imgs and images", "", 1, 1);
        assertEquals("trigger_word_missing", error.type());
        assertEquals("prompt", error.field());
        assertTrue(error.message().contains("'img'"), error.message());
    }

    @Test
    void the_trigger_word_may_appear_only_once() {
        PromptError error = rejected("a man img and a woman img", "", 1, 1);
        assertEquals("trigger_word_repeated", error.type());
        assertTrue(error.message().contains("2 times"), error.message());
    }

    @Test
    void trigger_word_must_follow_a_class_word() {
        assertEquals("trigger_word_without_class_word", rejected("img of a man", "", 1, 1).type());
        assertEquals("trigger_word_without_class_word", rejected("a portrait, img smiling", "", 1, 1).type());
        assertEquals("trigger_word_without_class_word", rejected("the man's img", "", 1, 1).type());
        assertEquals("trigger_word_without_class_word", rejected("<|startoftext|> img", "", 1, 1).type());
    }

    @Test
    void the_negative_prompt_must_not_contain_the_trigger_word() {
        PromptError error = rejected("a man img", "blurry, IMG", 1, 1);
        assertEquals("trigger_word_in_negative_prompt", error.type());
        assertEquals("negative_prompt", error.field());
    }

    @Test
    void at_least_one_id_image_is_needed() {
        PromptError error = rejected("a man img", null, 0, 1);
        assertEquals("no_id_images", error.type());
        assertEquals("id_images", error.field());
    }

    @Test
    void class_tokens_that_certainly_cannot_fit_the_window_are_rejected() {
        // 70 words before the trigger: the class token is at index >= 70, 4 images x 2 tokens end past 77.
        String prefix = "word ".repeat(69) + "man img";
        assertEquals("prompt_too_long", rejected(prefix, "", 4, 2).type());
        TriggerLocation fits = TriggerWordCheck.validate(prefix, "", "img", 1, 2);
        assertEquals(70, fits.triggerIndex());
    }

    @Test
    void a_trigger_beyond_clips_truncation_is_rejected_even_with_one_copy() {
        // 75 words before: the trigger would be token 76 or later, cut by the 75-token truncation.
        String prompt = "word ".repeat(74) + "man img";
        assertEquals("prompt_too_long", rejected(prompt, "", 1, 1).type());
        TriggerWordCheck.validate("word ".repeat(73) + "man img", "", "img", 1, 1);
    }

    @Test
    void a_trigger_made_of_several_words_matches_as_a_sequence() {
        TriggerLocation at = TriggerWordCheck.validate("a woman sks-person smiling", "", "sks-person", 1, 1);
        assertEquals(2, at.triggerIndex());
        assertEquals(3, at.triggerLength());
        assertEquals(List.of("a", "woman", "smiling"), at.wordsWithoutTrigger());
    }

    @Test
    void an_unusable_trigger_word_or_token_count_is_a_configuration_error() {
        assertThrows(IllegalArgumentException.class, () -> TriggerWordCheck.validate("a man img", "", "  ", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> TriggerWordCheck.validate("a man img", "", "img", 1, 0));
    }
}
