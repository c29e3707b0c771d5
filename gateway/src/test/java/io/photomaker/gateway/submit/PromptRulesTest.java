package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.job.RequestViolation;
import org.junit.jupiter.api.Test;

class PromptRulesTest {
    private static String type(String prompt, String negative) {
        return PromptRules.check(prompt, negative).map(RequestViolation::type).orElse("ok");
    }

    @Test
    void the_trigger_word_right_after_a_class_word_is_accepted() {
        assertEquals("ok", type("a photo of a man img, cinematic", null));
        assertEquals("ok", type("A Woman IMG in the snow", "blurry"));
        assertEquals("ok", type("portrait of a girl img", ""));
    }

    @Test
    void a_prompt_without_the_trigger_word_is_refused() {
        assertEquals("missing_trigger_word", type("a photo of a man", null));
        assertEquals("missing_trigger_word", type("a man images", null));
    }

    @Test
    void the_trigger_word_must_appear_exactly_once() {
        assertEquals("multiple_trigger_words", type("a man img and a woman img", null));
    }

    @Test
    void the_trigger_word_must_directly_follow_a_class_word() {
        assertEquals("trigger_word_without_class_word", type("img", null));
        assertEquals("trigger_word_without_class_word", type("a cat img", null));
        assertEquals("trigger_word_without_class_word", type("a man, img", null));
    }

    @Test
    void the_negative_prompt_must_not_contain_the_trigger_word() {
        RequestViolation v = PromptRules.check("a man img", "ugly img").orElseThrow();
        assertEquals("trigger_word_in_negative_prompt", v.type());
        assertEquals("negative_prompt", v.field());
    }

    @Test
    void unicode_prompts_are_tokenised_into_words() {
        assertEquals("ok", type("ein Foto: a woman img — été ☀", null));
        assertTrue(PromptRules.tokens("man,img").contains(","));
    }
}
