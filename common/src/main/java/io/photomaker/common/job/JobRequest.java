package io.photomaker.common.job;

import java.util.List;

/**
 * What a client asks for: the generation parameters of one job. Optional fields are null until
 * {@link #withDefaults(long)} fills them from {@link JobDefaults}; {@link JobRequestValidator} checks ranges.
 *
 * @param negativePrompt what to avoid; absent means the demo's default negative prompt, an empty string means none
 * @param noise          which torch generator the initial latents are drawn as ({@code torch_cuda}, {@code torch_cpu})
 * @param noiseDtype     the dtype the reference draws in ({@code bfloat16}, {@code float16}, {@code float32})
 * @param model the model to run ({@code photomaker-v1} | {@code photomaker-v2}); the gateway fills in the
 *              operator's default, and null (work items from before models existed) means photomaker-v1
 * @param minIdentitySimilarity outputs whose face is less similar than this to the ID photos are
 *                              generated again with the next seed (null: no check)
 * @param maxRegenerations how many such extra generations the whole job may spend (default 0)
 */
public record JobRequest(
        String prompt,
        String negativePrompt,
        String style,
        Integer numSteps,
        Double guidanceScale,
        Double guidanceRescale,
        Double styleStrength,
        Long seed,
        Integer width,
        Integer height,
        Integer numOutputs,
        String scheduler,
        String noise,
        String noiseDtype,
        List<IdentityRef> identityIds,
        Long deadlineSeconds,
        String webhook,
        List<String> webhookEvents,
        String model,
        Double minIdentitySimilarity,
        Integer maxRegenerations,
        String outputFormat,
        Integer outputQuality) {

    /** Webhook event filters a job may ask for. */
    public static final List<String> WEBHOOK_EVENTS = List.of("started", "progress", "completed");
    public static final List<String> WEBHOOK_EVENTS_DEFAULT = List.of("completed");
    /** File formats of the outputs; quality applies to the lossy ones. */
    public static final List<String> OUTPUT_FORMATS = List.of("png", "jpeg", "webp");
    public static final String DEFAULT_OUTPUT_FORMAT = JobDefaults.OUTPUT_FORMAT;
    public static final int DEFAULT_OUTPUT_QUALITY = JobDefaults.OUTPUT_QUALITY;

    /**
     * A request that names no model, asks for no identity check and takes the default noise and output format
     * (photomaker-v1 unless the gateway says otherwise, PNG).
     */
    public JobRequest(String prompt, String negativePrompt, String style, Integer numSteps, Double guidanceScale,
                      Double guidanceRescale, Double styleStrength, Long seed, Integer width, Integer height,
                      Integer numOutputs, String scheduler, List<IdentityRef> identityIds, Long deadlineSeconds,
                      String webhook, List<String> webhookEvents) {
        this(prompt, negativePrompt, style, numSteps, guidanceScale, guidanceRescale, styleStrength, seed, width,
                height, numOutputs, scheduler, identityIds, deadlineSeconds, webhook, webhookEvents, null, null, null);
    }

    /** A request with the default noise and output format (PNG). */
    public JobRequest(String prompt, String negativePrompt, String style, Integer numSteps, Double guidanceScale,
                      Double guidanceRescale, Double styleStrength, Long seed, Integer width, Integer height,
                      Integer numOutputs, String scheduler, List<IdentityRef> identityIds, Long deadlineSeconds,
                      String webhook, List<String> webhookEvents, String model, Double minIdentitySimilarity,
                      Integer maxRegenerations) {
        this(prompt, negativePrompt, style, numSteps, guidanceScale, guidanceRescale, styleStrength, seed, width,
                height, numOutputs, scheduler, null, null, identityIds, deadlineSeconds, webhook, webhookEvents, model,
                minIdentitySimilarity, maxRegenerations, null, null);
    }

    /** A copy that runs on {@code value} (the gateway sets the operator's default when none was asked for). */
    public JobRequest withModel(String value) {
        return new JobRequest(prompt, negativePrompt, style, numSteps, guidanceScale, guidanceRescale, styleStrength,
                seed, width, height, numOutputs, scheduler, noise, noiseDtype, identityIds, deadlineSeconds, webhook,
                webhookEvents, value, minIdentitySimilarity, maxRegenerations, outputFormat, outputQuality);
    }

    /** The number of regenerations allowed (0 when not given). */
    public int regenerationBudget() {
        return maxRegenerations == null ? 0 : maxRegenerations;
    }

    /** A copy with every absent optional field set to its default; {@code randomSeed} is used when no seed was given. */
    public JobRequest withDefaults(long randomSeed) {
        String generator = noise == null ? JobDefaults.NOISE : noise;
        return new JobRequest(
                prompt,
                negativePrompt == null ? JobDefaults.NEGATIVE_PROMPT : negativePrompt,
                style == null ? JobDefaults.STYLE : style,
                numSteps == null ? JobDefaults.NUM_STEPS : numSteps,
                guidanceScale == null ? JobDefaults.GUIDANCE_SCALE : guidanceScale,
                guidanceRescale == null ? JobDefaults.GUIDANCE_RESCALE : guidanceRescale,
                styleStrength == null ? JobDefaults.STYLE_STRENGTH : styleStrength,
                seed == null ? randomSeed : seed,
                width == null ? JobDefaults.WIDTH : width,
                height == null ? JobDefaults.HEIGHT : height,
                numOutputs == null ? JobDefaults.NUM_OUTPUTS : numOutputs,
                scheduler == null ? JobDefaults.SCHEDULER : scheduler,
                generator,
                noiseDtype == null ? JobDefaults.noiseDtypeFor(generator) : noiseDtype,
                identityIds == null ? List.of() : List.copyOf(identityIds),
                deadlineSeconds,
                webhook,
                webhookEvents == null ? (webhook == null ? List.of() : WEBHOOK_EVENTS_DEFAULT) : List.copyOf(webhookEvents),
                model,
                minIdentitySimilarity,
                maxRegenerations == null ? 0 : maxRegenerations,
                outputFormat == null ? JobDefaults.OUTPUT_FORMAT : outputFormat,
                outputQuality == null ? JobDefaults.OUTPUT_QUALITY : outputQuality);
    }
}
