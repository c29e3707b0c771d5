package io.photomaker.worker.pipeline;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.JobDefaults;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.SchedulerName;
import io.photomaker.worker.pipeline.noise.CudaGrid;
import io.photomaker.worker.pipeline.noise.NoiseSpec;
import java.util.List;

/**
 * One generation: prompt (with the trigger word after the class word), negative prompt, style, sampler
 * settings, output size and count, the noise to draw, and the ID embeddings to stack, in order (several people's
 * embeddings mix their identities). The initial latents of all outputs are one draw of shape
 * {@code [numOutputs, C, h, w]} from a generator seeded with {@code seed}; output i is slice i. Invalid values
 * fail with a non-retryable {@link PipelineException} naming the field.
 *
 * @param negativePrompt  what to avoid; {@code ""} is encoded as an empty prompt, {@code null} means no negative
 *                        prompt was given at all (then, with a style that adds none, a model with
 *                        force_zeros_for_empty_prompt gets zero embeddings, as diffusers does)
 * @param styleStrength   percent of the steps that use the text-only prompt before the identity is merged
 */
public record GenerationRequest(
        String prompt,
        String negativePrompt,
        String style,
        int steps,
        double guidanceScale,
        double guidanceRescale,
        double styleStrength,
        long seed,
        int width,
        int height,
        int numOutputs,
        String scheduler,
        NoiseSpec noise,
        List<float[]> idEmbeddings) {

    public static final int MAX_STEPS = 200;
    public static final int MIN_SIDE = 64;
    public static final int MAX_SIDE = 2048;
    public static final int MAX_OUTPUTS = 8;
    public static final double MAX_GUIDANCE_SCALE = 30;

    public GenerationRequest {
        style = style == null ? JobDefaults.STYLE : style;
        scheduler = scheduler == null ? JobDefaults.SCHEDULER : scheduler;
        noise = noise == null ? NoiseSpec.defaults() : noise;
        require(prompt != null, "prompt", "prompt is required");
        require(steps >= 1 && steps <= MAX_STEPS, "steps", "steps must be 1.." + MAX_STEPS + ", was " + steps);
        require(guidanceScale >= 0 && guidanceScale <= MAX_GUIDANCE_SCALE, "guidance_scale",
                "guidance_scale must be 0.." + MAX_GUIDANCE_SCALE + ", was " + guidanceScale);
        require(guidanceRescale >= 0 && guidanceRescale <= 1, "guidance_rescale",
                "guidance_rescale must be 0..1, was " + guidanceRescale);
        require(styleStrength >= 0 && styleStrength <= 100, "style_strength",
                "style_strength must be 0..100 percent, was " + styleStrength);
        requireSide("width", width);
        requireSide("height", height);
        require(numOutputs >= 1 && numOutputs <= MAX_OUTPUTS, "num_outputs",
                "num_outputs must be 1.." + MAX_OUTPUTS + ", was " + numOutputs);
        require(SchedulerName.wireNames().contains(scheduler), "scheduler",
                "unknown scheduler '" + scheduler + "'; valid schedulers are " + String.join(", ", SchedulerName.wireNames()));
        require(idEmbeddings != null && !idEmbeddings.isEmpty() && idEmbeddings.stream().allMatch(e -> e != null),
                "id_images", "at least one ID embedding is needed");
        idEmbeddings = List.copyOf(idEmbeddings);
    }

    /** The demo's defaults ({@link JobDefaults}) with seed 0. */
    public static GenerationRequest of(String prompt, List<float[]> idEmbeddings) {
        return new GenerationRequest(prompt, JobDefaults.NEGATIVE_PROMPT, JobDefaults.STYLE, JobDefaults.NUM_STEPS,
                JobDefaults.GUIDANCE_SCALE, JobDefaults.GUIDANCE_RESCALE, JobDefaults.STYLE_STRENGTH, 0,
                JobDefaults.WIDTH, JobDefaults.HEIGHT, JobDefaults.NUM_OUTPUTS, JobDefaults.SCHEDULER,
                NoiseSpec.defaults(), idEmbeddings);
    }

    /**
     * The generation a job asks for: every generation field of {@code job} (defaults applied; the service-only
     * fields -- identities, webhooks, deadline -- are not the pipeline's), the noise on {@code grid}.
     *
     * @throws PipelineException (not retryable) naming the field when a value is invalid
     */
    public static GenerationRequest of(JobRequest job, List<float[]> idEmbeddings, CudaGrid grid) {
        NoiseSpec noise;
        try {
            noise = NoiseSpec.of(job.noise(), job.noiseDtype(), grid);
        } catch (IllegalArgumentException e) {
            throw PipelineException.badInput(ErrorType.INVALID_REQUEST, "noise", e.getMessage());
        }
        return new GenerationRequest(job.prompt(), job.negativePrompt(), job.style(), job.numSteps(),
                job.guidanceScale(), job.guidanceRescale(), job.styleStrength(), job.seed(), job.width(), job.height(),
                job.numOutputs(), job.scheduler(), noise, idEmbeddings);
    }

    public GenerationRequest withSeed(long value) {
        return new GenerationRequest(prompt, negativePrompt, style, steps, guidanceScale, guidanceRescale,
                styleStrength, value, width, height, numOutputs, scheduler, noise, idEmbeddings);
    }

    public GenerationRequest withSteps(int value) {
        return new GenerationRequest(prompt, negativePrompt, style, value, guidanceScale, guidanceRescale,
                styleStrength, seed, width, height, numOutputs, scheduler, noise, idEmbeddings);
    }

    public GenerationRequest withSize(int newWidth, int newHeight) {
        return new GenerationRequest(prompt, negativePrompt, style, steps, guidanceScale, guidanceRescale,
                styleStrength, seed, newWidth, newHeight, numOutputs, scheduler, noise, idEmbeddings);
    }

    public GenerationRequest withNumOutputs(int value) {
        return new GenerationRequest(prompt, negativePrompt, style, steps, guidanceScale, guidanceRescale,
                styleStrength, seed, width, height, value, scheduler, noise, idEmbeddings);
    }

    public GenerationRequest withStyleStrength(double value) {
        return new GenerationRequest(prompt, negativePrompt, style, steps, guidanceScale, guidanceRescale,
                value, seed, width, height, numOutputs, scheduler, noise, idEmbeddings);
    }

    public GenerationRequest withScheduler(String value) {
        return new GenerationRequest(prompt, negativePrompt, style, steps, guidanceScale, guidanceRescale,
                styleStrength, seed, width, height, numOutputs, value, noise, idEmbeddings);
    }

    public GenerationRequest withGuidance(double scale, double rescale) {
        return new GenerationRequest(prompt, negativePrompt, style, steps, scale, rescale,
                styleStrength, seed, width, height, numOutputs, scheduler, noise, idEmbeddings);
    }

    public GenerationRequest withPrompts(String newPrompt, String newNegativePrompt, String newStyle) {
        return new GenerationRequest(newPrompt, newNegativePrompt, newStyle, steps, guidanceScale, guidanceRescale,
                styleStrength, seed, width, height, numOutputs, scheduler, noise, idEmbeddings);
    }

    public GenerationRequest withNoise(NoiseSpec value) {
        return new GenerationRequest(prompt, negativePrompt, style, steps, guidanceScale, guidanceRescale,
                styleStrength, seed, width, height, numOutputs, scheduler, value, idEmbeddings);
    }

    /** Whether classifier-free guidance runs (diffusers' rule: scale above 1). */
    public boolean guided() {
        return guidanceScale > 1;
    }

    private static void requireSide(String field, int value) {
        require(value >= MIN_SIDE && value <= MAX_SIDE && value % 8 == 0, field,
                field + " must be a multiple of 8 in " + MIN_SIDE + ".." + MAX_SIDE + ", was " + value);
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw PipelineException.badInput(ErrorType.INVALID_REQUEST, field, message);
        }
    }
}
