package io.photomaker.common.job;

import java.util.List;

/**
 * What a client asks for: the generation parameters of one job. Optional fields are null until
 * {@link #withDefaults(long)} fills them; {@link JobRequestValidator} checks ranges.
 *
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
        List<IdentityRef> identityIds,
        Long deadlineSeconds,
        String webhook,
        List<String> webhookEvents,
        String model,
        Double minIdentitySimilarity,
        Integer maxRegenerations,
        String outputFormat,
        Integer outputQuality) {

    public static final int DEFAULT_STEPS = 50;
    public static final double DEFAULT_GUIDANCE = 5.0;
    public static final double DEFAULT_STYLE_STRENGTH = 20.0;
    public static final int DEFAULT_SIZE = 1024;
    public static final int DEFAULT_OUTPUTS = 1;
    public static final String DEFAULT_STYLE = "(No style)";
    /** Webhook event filters a job may ask for. */
    public static final List<String> WEBHOOK_EVENTS = List.of("started", "progress", "completed");
    public static final List<String> WEBHOOK_EVENTS_DEFAULT = List.of("completed");
    /** File formats of the outputs; quality applies to the lossy ones. */
    public static final List<String> OUTPUT_FORMATS = List.of("png", "jpeg", "webp");
    public static final String DEFAULT_OUTPUT_FORMAT = "png";
    public static final int DEFAULT_OUTPUT_QUALITY = 90;

    /**
     * A request that names no model, asks for no identity check and takes the default output format
     * (photomaker-v1 unless the gateway says otherwise, PNG).
     */
    public JobRequest(String prompt, String negativePrompt, String style, Integer numSteps, Double guidanceScale,
                      Double guidanceRescale, Double styleStrength, Long seed, Integer width, Integer height,
                      Integer numOutputs, String scheduler, List<IdentityRef> identityIds, Long deadlineSeconds,
                      String webhook, List<String> webhookEvents) {
        this(prompt, negativePrompt, style, numSteps, guidanceScale, guidanceRescale, styleStrength, seed, width,
                height, numOutputs, scheduler, identityIds, deadlineSeconds, webhook, webhookEvents, null, null, null);
    }

    /** A request with the default output format (PNG). */
    public JobRequest(String prompt, String negativePrompt, String style, Integer numSteps, Double guidanceScale,
                      Double guidanceRescale, Double styleStrength, Long seed, Integer width, Integer height,
                      Integer numOutputs, String scheduler, List<IdentityRef> identityIds, Long deadlineSeconds,
                      String webhook, List<String> webhookEvents, String model, Double minIdentitySimilarity,
                      Integer maxRegenerations) {
        this(prompt, negativePrompt, style, numSteps, guidanceScale, guidanceRescale, styleStrength, seed, width,
                height, numOutputs, scheduler, identityIds, deadlineSeconds, webhook, webhookEvents, model,
                minIdentitySimilarity, maxRegenerations, null, null);
    }

    /** A copy that runs on {@code value} (the gateway sets the operator's default when none was asked for). */
    public JobRequest withModel(String value) {
        return new JobRequest(prompt, negativePrompt, style, numSteps, guidanceScale, guidanceRescale, styleStrength,
                seed, width, height, numOutputs, scheduler, identityIds, deadlineSeconds, webhook, webhookEvents,
                value, minIdentitySimilarity, maxRegenerations, outputFormat, outputQuality);
    }

    /** The number of regenerations allowed (0 when not given). */
    public int regenerationBudget() {
        return maxRegenerations == null ? 0 : maxRegenerations;
    }

    /** A copy with every absent optional field set to its default; {@code randomSeed} is used when no seed was given. */
    public JobRequest withDefaults(long randomSeed) {
        return new JobRequest(
                prompt,
                negativePrompt == null ? "" : negativePrompt,
                style == null ? DEFAULT_STYLE : style,
                numSteps == null ? DEFAULT_STEPS : numSteps,
                guidanceScale == null ? DEFAULT_GUIDANCE : guidanceScale,
                guidanceRescale == null ? 0.0 : guidanceRescale,
                styleStrength == null ? DEFAULT_STYLE_STRENGTH : styleStrength,
                seed == null ? randomSeed : seed,
                width == null ? DEFAULT_SIZE : width,
                height == null ? DEFAULT_SIZE : height,
                numOutputs == null ? DEFAULT_OUTPUTS : numOutputs,
                scheduler == null ? SchedulerName.DEFAULT.wireName() : scheduler,
                identityIds == null ? List.of() : List.copyOf(identityIds),
                deadlineSeconds,
                webhook,
                webhookEvents == null ? (webhook == null ? List.of() : WEBHOOK_EVENTS_DEFAULT) : List.copyOf(webhookEvents),
                model,
                minIdentitySimilarity,
                maxRegenerations == null ? 0 : maxRegenerations,
                outputFormat == null ? DEFAULT_OUTPUT_FORMAT : outputFormat,
                outputQuality == null ? DEFAULT_OUTPUT_QUALITY : outputQuality);
    }
}
