package io.photomaker.common.prompt;

import io.photomaker.common.errors.ErrorType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The style templates of the PhotoMaker demo, with its names and wording. A style wraps the prompt
 * ({@code {prompt}} is replaced) and prefixes its own negative prompt to the user's, joined by one space
 * exactly as the demo joins them. Names match case-insensitively; "Photographic" and the demo's own
 * spelling "Disney Charactor" are accepted as aliases.
 */
public final class StyleTemplates {

    /** The style used when none is given. */
    public static final String DEFAULT_STYLE = "Photographic (Default)";
    /** The style that leaves the prompt unchanged. */
    public static final String NO_STYLE = "(No style)";
    /** The demo's default negative prompt. */
    public static final String DEFAULT_NEGATIVE_PROMPT = "nsfw, lowres, bad anatomy, bad hands, text, error, "
            + "missing fingers, extra digit, fewer digits, cropped, worst quality, low quality, normal quality, "
            + "jpeg artifacts, signature, watermark, username, blurry";

    /** One style: its name, its prompt template (with {@code {prompt}}) and its negative prompt. */
    public record Style(String name, String promptTemplate, String negativePrompt) {
    }

    /** A prompt pair after a style was applied. */
    public record StyledPrompt(String prompt, String negativePrompt) {
    }

    private static final Map<String, Style> BY_KEY = new LinkedHashMap<>();
    private static final List<String> NAMES;

    static {
        add(NO_STYLE, "{prompt}", "");
        add("Cinematic", "cinematic still {prompt} . emotional, harmonious, vignette, highly detailed, high budget, "
                        + "bokeh, cinemascope, moody, epic, gorgeous, film grain, grainy",
                "anime, cartoon, graphic, text, painting, crayon, graphite, abstract, glitch, deformed, mutated, "
                        + "ugly, disfigured");
        add("Disney Character", "A Pixar animation character of {prompt} . pixar-style, studio anime, Disney, "
                        + "high-quality",
                "lowres, bad anatomy, bad hands, text, bad eyes, bad arms, bad legs, error, missing fingers, "
                        + "extra digit, fewer digits, cropped, worst quality, low quality, normal quality, jpeg "
                        + "artifacts, signature, watermark, blurry, grayscale, noisy, sloppy, messy, grainy, highly "
                        + "detailed, ultra textured, photo");
        add("Digital Art", "concept art {prompt} . digital artwork, illustrative, painterly, matte painting, "
                        + "highly detailed",
                "photo, photorealistic, realism, ugly");
        add(DEFAULT_STYLE, "cinematic photo {prompt} . 35mm photograph, film, bokeh, professional, 4k, highly "
                        + "detailed",
                "drawing, painting, crayon, sketch, graphite, impressionist, noisy, blurry, soft, deformed, ugly");
        add("Fantasy art", "ethereal fantasy concept art of  {prompt} . magnificent, celestial, ethereal, "
                        + "painterly, epic, majestic, magical, fantasy art, cover art, dreamy",
                "photographic, realistic, realism, 35mm film, dslr, cropped, frame, text, deformed, glitch, noise, "
                        + "noisy, off-center, deformed, cross-eyed, closed eyes, bad anatomy, ugly, disfigured, "
                        + "sloppy, duplicate, mutated, black and white");
        add("Neonpunk", "neonpunk style {prompt} . cyberpunk, vaporwave, neon, vibes, vibrant, stunningly "
                        + "beautiful, crisp, detailed, sleek, ultramodern, magenta highlights, dark purple shadows, "
                        + "high contrast, cinematic, ultra detailed, intricate, professional",
                "painting, drawing, illustration, glitch, deformed, mutated, cross-eyed, ugly, disfigured");
        add("Enhance", "breathtaking {prompt} . award-winning, professional, highly detailed",
                "ugly, deformed, noisy, blurry, distorted, grainy");
        add("Comic book", "comic {prompt} . graphic illustration, comic art, graphic novel art, vibrant, highly "
                        + "detailed",
                "photograph, deformed, glitch, noisy, realistic, stock photo");
        add("Lowpoly", "low-poly style {prompt} . low-poly game art, polygon mesh, jagged, blocky, wireframe "
                        + "edges, centered composition",
                "noisy, sloppy, messy, grainy, highly detailed, ultra textured, photo");
        add("Line art", "line art drawing {prompt} . professional, sleek, modern, minimalist, graphic, line art, "
                        + "vector graphics",
                "anime, photorealistic, 35mm film, deformed, glitch, blurry, noisy, off-center, deformed, "
                        + "cross-eyed, closed eyes, bad anatomy, ugly, disfigured, mutated, realism, realistic, "
                        + "impressionism, expressionism, oil, acrylic");
        List<String> names = new ArrayList<>();
        BY_KEY.values().forEach(style -> names.add(style.name()));
        NAMES = Collections.unmodifiableList(names);
        BY_KEY.put(key("Photographic"), BY_KEY.get(key(DEFAULT_STYLE)));
        BY_KEY.put(key("Disney Charactor"), BY_KEY.get(key("Disney Character")));
    }

    private StyleTemplates() {
    }

    private static void add(String name, String template, String negative) {
        BY_KEY.put(key(name), new Style(name, template, negative));
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    /** The style names, in the demo's order. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The style with this name; {@code null} means {@link #DEFAULT_STYLE}.
     *
     * @throws PromptError of type {@code unknown_style}, listing the valid names
     */
    public static Style find(String name) {
        Style style = BY_KEY.get(key(name == null ? DEFAULT_STYLE : name));
        if (style == null) {
            throw new PromptError(ErrorType.UNKNOWN_STYLE, PromptError.FIELD_STYLE,
                    "Unknown style '" + name + "'. Valid styles: " + String.join(", ", NAMES) + ".", NAMES);
        }
        return style;
    }

    /**
     * Applies a style: the prompt replaces every {@code {prompt}} of the template; the negative prompt is
     * the style's negative prompt, one space, then the user's (a {@code null} user negative counts as empty).
     */
    public static StyledPrompt apply(String style, String prompt, String negativePrompt) {
        Style chosen = find(style);
        String positive = chosen.promptTemplate().replace("{prompt}", prompt == null ? "" : prompt);
        String negative = chosen.negativePrompt() + " " + (negativePrompt == null ? "" : negativePrompt);
        return new StyledPrompt(positive, negative);
    }
}
