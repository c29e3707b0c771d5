package io.photomaker.common.job;

import io.photomaker.common.prompt.StyleTemplates;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a job field takes when the client leaves it out: the PhotoMaker demo's defaults (style
 * Photographic, its negative prompt, 50 steps, guidance 5, style strength 20%, two outputs, 1024x1024, Euler)
 * and the demo's noise (torch's CUDA generator, drawn in bfloat16). Defined here once; the gateway
 * ({@link JobRequest#withDefaults}), the worker, the web page and the CLI all read them from here.
 */
public final class JobDefaults {

    public static final String STYLE = StyleTemplates.DEFAULT_STYLE;
    public static final String NEGATIVE_PROMPT = StyleTemplates.DEFAULT_NEGATIVE_PROMPT;
    public static final int NUM_STEPS = 50;
    public static final double GUIDANCE_SCALE = 5.0;
    public static final double GUIDANCE_RESCALE = 0.0;
    public static final double STYLE_STRENGTH = 20.0;
    public static final int WIDTH = 1024;
    public static final int HEIGHT = 1024;
    public static final int NUM_OUTPUTS = 2;
    public static final String SCHEDULER = SchedulerName.DEFAULT.wireName();
    /** torch.Generator("cuda"), as the demo seeds it. */
    public static final String NOISE = "torch_cuda";
    /** The demo draws its latents in bfloat16 on CUDA. */
    public static final String NOISE_DTYPE_CUDA = "bfloat16";
    /** torch's CPU generator is reproduced for float32 draws only. */
    public static final String NOISE_DTYPE_CPU = "float32";
    /** Output files: PNG, lossless, as the demo saves them. */
    public static final String OUTPUT_FORMAT = "png";
    /** Quality of lossy output formats. */
    public static final int OUTPUT_QUALITY = 90;

    private JobDefaults() {
    }

    /** The noise dtype used when a job names none: it depends on the generator. */
    public static String noiseDtypeFor(String noise) {
        return "torch_cpu".equals(noise) ? NOISE_DTYPE_CPU : NOISE_DTYPE_CUDA;
    }

    /** Every defaulted field by its wire name (snake_case), as the API documents it. */
    public static Map<String, Object> byField() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("negative_prompt", NEGATIVE_PROMPT);
        m.put("style", STYLE);
        m.put("num_steps", NUM_STEPS);
        m.put("guidance_scale", GUIDANCE_SCALE);
        m.put("guidance_rescale", GUIDANCE_RESCALE);
        m.put("style_strength", STYLE_STRENGTH);
        m.put("width", WIDTH);
        m.put("height", HEIGHT);
        m.put("num_outputs", NUM_OUTPUTS);
        m.put("scheduler", SCHEDULER);
        m.put("noise", NOISE);
        m.put("noise_dtype", NOISE_DTYPE_CUDA);
        m.put("output_format", OUTPUT_FORMAT);
        m.put("output_quality", OUTPUT_QUALITY);
        return m;
    }
}
