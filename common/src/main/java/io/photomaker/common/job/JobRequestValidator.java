package io.photomaker.common.job;

import io.photomaker.common.errors.ErrorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Range and size checks for a {@link JobRequest} with defaults applied. Prompt and trigger-word rules
 * live in {@code io.photomaker.common.prompt}; this class covers the numeric and structural limits.
 */
public final class JobRequestValidator {
    public static final int MIN_SIZE = 64;
    public static final int MAX_SIZE = 2048;
    public static final int MAX_STEPS = 100;
    public static final int MAX_OUTPUTS = 4;
    public static final int MAX_PROMPT_CHARS = 2000;
    /** torch generators the initial noise can be drawn as. */
    public static final List<String> NOISES = List.of("torch_cuda", "torch_cpu");
    /** dtypes the reference draws its noise in. */
    public static final List<String> NOISE_DTYPES = List.of("bfloat16", "float16", "float32");
    /**
     * Image sides must be multiples of this: the exported SDXL UNet down-samples the latents (1/8 of the image)
     * twice and its traced up-sampling path assumes even sizes at each level.
     */
    public static final int SIZE_MULTIPLE = 32;
    /** Most extra generations one job may spend on outputs below its min_identity_similarity. */
    public static final int MAX_REGENERATIONS = 8;

    private JobRequestValidator() {
    }

    /** All violations of {@code r}; empty when the request is acceptable. */
    public static List<RequestViolation> violations(JobRequest r) {
        List<RequestViolation> out = new ArrayList<>();
        if (r.prompt() == null || r.prompt().isBlank()) {
            out.add(new RequestViolation(ErrorType.MISSING_FIELD, "prompt is required", "prompt"));
        } else if (r.prompt().length() > MAX_PROMPT_CHARS) {
            out.add(new RequestViolation(ErrorType.PROMPT_TOO_LONG,
                    "prompt has " + r.prompt().length() + " characters; at most " + MAX_PROMPT_CHARS, "prompt"));
        }
        if (r.negativePrompt() != null && r.negativePrompt().length() > MAX_PROMPT_CHARS) {
            out.add(new RequestViolation(ErrorType.PROMPT_TOO_LONG,
                    "negative_prompt has more than " + MAX_PROMPT_CHARS + " characters", "negative_prompt"));
        }
        range(out, "num_steps", r.numSteps(), 1, MAX_STEPS);
        range(out, "guidance_scale", r.guidanceScale(), 0.0, 20.0);
        range(out, "guidance_rescale", r.guidanceRescale(), 0.0, 1.0);
        range(out, "style_strength", r.styleStrength(), 0.0, 100.0);
        range(out, "num_outputs", r.numOutputs(), 1, MAX_OUTPUTS);
        size(out, "width", r.width());
        size(out, "height", r.height());
        if (r.seed() != null && r.seed() < 0) {
            out.add(new RequestViolation(ErrorType.OUT_OF_RANGE, "seed must be a non-negative integer", "seed"));
        }
        if (r.scheduler() != null && SchedulerName.ofWireName(r.scheduler()).isEmpty()) {
            out.add(new RequestViolation(ErrorType.UNKNOWN_SCHEDULER,
                    "scheduler must be one of " + String.join(", ", SchedulerName.wireNames().stream().sorted().toList()),
                    "scheduler"));
        }
        noise(out, r.noise(), r.noiseDtype());
        if (r.deadlineSeconds() != null && (r.deadlineSeconds() < 1 || r.deadlineSeconds() > 86_400)) {
            out.add(new RequestViolation(ErrorType.OUT_OF_RANGE, "deadline_seconds must be in 1..86400", "deadline_seconds"));
        }
        if (r.webhookEvents() != null && !JobRequest.WEBHOOK_EVENTS.containsAll(r.webhookEvents())) {
            out.add(new RequestViolation(ErrorType.INVALID_WEBHOOK_EVENTS,
                    "webhook_events may contain " + String.join(", ", JobRequest.WEBHOOK_EVENTS), "webhook_events"));
        }
        if (r.outputFormat() != null && !JobRequest.OUTPUT_FORMATS.contains(r.outputFormat())) {
            out.add(new RequestViolation(ErrorType.INVALID_OUTPUT_FORMAT,
                    "output_format must be one of " + String.join(", ", JobRequest.OUTPUT_FORMATS), "output_format"));
        }
        range(out, "output_quality", r.outputQuality(), 1, 100);
        if (r.webhook() != null && !r.webhook().matches("https?://\\S{1,2000}")) {
            out.add(new RequestViolation(ErrorType.INVALID_WEBHOOK, "webhook must be an http(s) URL", "webhook"));
        }
        range(out, "min_identity_similarity", r.minIdentitySimilarity(), -1.0, 1.0);
        range(out, "max_regenerations", r.maxRegenerations(), 0, MAX_REGENERATIONS);
        if (r.maxRegenerations() != null && r.maxRegenerations() > 0 && r.minIdentitySimilarity() == null) {
            out.add(new RequestViolation(ErrorType.INVALID_REQUEST,
                    "max_regenerations needs min_identity_similarity (the similarity an output must reach)",
                    "max_regenerations"));
        }
        if (r.identityIds() != null) {
            for (IdentityRef ref : r.identityIds()) {
                if (ref == null || ref.id() == null || ref.weight() < 0 || ref.weight() > 8) {
                    out.add(new RequestViolation(ErrorType.INVALID_IDENTITY,
                            "each identity needs an id and a weight in 0..8 (0 = one per stored photo)",
                            "identity_ids"));
                    break;
                }
            }
        }
        return out;
    }

    private static void size(List<RequestViolation> out, String field, Integer v) {
        if (v == null) {
            return;
        }
        if (v < MIN_SIZE || v > MAX_SIZE) {
            out.add(new RequestViolation(ErrorType.OUT_OF_RANGE, field + " must be in " + MIN_SIZE + ".." + MAX_SIZE, field));
        } else if (v % SIZE_MULTIPLE != 0) {
            out.add(new RequestViolation(ErrorType.INVALID_SIZE, field + " must be a multiple of " + SIZE_MULTIPLE + ", was " + v
                    + " (the exported UNet runs latents whose sides are multiples of 4)", field));
        }
    }

    private static void noise(List<RequestViolation> out, String noise, String dtype) {
        if (noise != null && !NOISES.contains(noise)) {
            out.add(new RequestViolation(ErrorType.UNKNOWN_NOISE, "noise must be one of " + String.join(", ", NOISES), "noise"));
        }
        if (dtype != null && !NOISE_DTYPES.contains(dtype)) {
            out.add(new RequestViolation(ErrorType.UNKNOWN_NOISE_DTYPE,
                    "noise_dtype must be one of " + String.join(", ", NOISE_DTYPES), "noise_dtype"));
        } else if ("torch_cpu".equals(noise) && dtype != null && !"float32".equals(dtype)) {
            out.add(new RequestViolation(ErrorType.UNSUPPORTED_NOISE_DTYPE, "noise torch_cpu is reproduced for float32 draws"
                    + " only (torch draws half precision on the CPU from other uniforms); use noise_dtype float32",
                    "noise_dtype"));
        }
    }

    private static void range(List<RequestViolation> out, String field, Number v, double min, double max) {
        if (v == null) {
            return;
        }
        double d = v.doubleValue();
        if (Double.isNaN(d) || d < min || d > max) {
            out.add(new RequestViolation(ErrorType.OUT_OF_RANGE, field + " must be in " + fmt(min) + ".." + fmt(max)
                    + ", was " + v, field));
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
