package io.photomaker.common.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The demo's style templates and how they combine with user prompts. */
class StyleTemplatesTest {

    @Test
    void the_demo_styles_are_listed_in_the_demo_order() {
        assertEquals(List.of("(No style)", "Cinematic", "Disney Character", "Digital Art", "Photographic (Default)",
                "Fantasy art", "Neonpunk", "Enhance", "Comic book", "Lowpoly", "Line art"), StyleTemplates.names());
    }

    @Test
    void a_style_wraps_the_prompt_and_prefixes_its_negative_with_one_space() {
        StyleTemplates.StyledPrompt styled = StyleTemplates.apply("Enhance", "a woman img", "blurry");
        assertEquals("breathtaking a woman img . award-winning, professional, highly detailed", styled.prompt());
        assertEquals("ugly, deformed, noisy, blurry, distorted, grainy blurry", styled.negativePrompt());
    }

    @Test
    void no_style_keeps_the_prompt_and_leaves_a_leading_space_on_the_negative() {
        StyleTemplates.StyledPrompt styled = StyleTemplates.apply("(No style)", "a man img", "lowres");
        assertEquals("a man img", styled.prompt());
        assertEquals(" lowres", styled.negativePrompt());
        assertTrue(StyleTemplates.apply("(No style)", "a man img", null).negativePrompt().isBlank());
    }

    @Test
    void every_template_contains_the_prompt_exactly_once() {
        for (String name : StyleTemplates.names()) {
            String marker = "PROMPT-MARKER";
            String styled = StyleTemplates.apply(name, marker, "").prompt();
            assertEquals(styled.indexOf(marker), styled.lastIndexOf(marker), name);
            assertTrue(styled.contains(marker), name);
            assertTrue(!styled.contains("{prompt}"), name);
        }
    }

    @Test
    void names_match_case_insensitively_and_aliases_resolve() {
        assertSame(StyleTemplates.find("Photographic (Default)"), StyleTemplates.find("photographic"));
        assertSame(StyleTemplates.find("Disney Character"), StyleTemplates.find("Disney Charactor"));
        assertSame(StyleTemplates.find("Line art"), StyleTemplates.find("  LINE ART "));
        assertSame(StyleTemplates.find(StyleTemplates.DEFAULT_STYLE), StyleTemplates.find(null));
    }

    @Test
    void an_unknown_style_lists_the_valid_names() {
        PromptError error = assertThrows(PromptError.class, () -> StyleTemplates.apply("Vaporwave", "a man img", ""));
        assertEquals("unknown_style", error.type());
        assertEquals("style", error.field());
        assertEquals(StyleTemplates.names(), error.allowedValues());
        assertTrue(error.message().contains("Comic book"), error.message());
    }

    @Test
    void the_default_negative_prompt_is_the_demo_one() {
        assertTrue(StyleTemplates.DEFAULT_NEGATIVE_PROMPT.startsWith("nsfw, lowres, bad anatomy"));
        assertTrue(StyleTemplates.DEFAULT_NEGATIVE_PROMPT.endsWith("watermark, username, blurry"));
    }

    @Test
    void the_styled_prompt_keeps_the_user_prompt_text_verbatim() {
        String prompt = "a woman img, {not a placeholder} $1 \\\\ end";
        assertEquals("cinematic photo " + prompt + " . 35mm photograph, film, bokeh, professional, 4k, highly detailed",
                StyleTemplates.apply(null, prompt, "").prompt());
    }
}
