package io.photomaker.common.job;

import java.util.List;

/**
 * What a client asks for: the generation parameters of one job. Optional fields are null until
 * {@link #withDefaults(long)} fills them; {@link JobRequestValidator} checks ranges.
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
        String outputFormat,
        Integer outputQuality) {

    public static final int DEFAULT_STEPS = 50;
    public static final double DEFAULT_GUIDANCE = 5.0;
    public static final double DEFAULT_STYLE_STRENGTH = 20.0;
    public static final int DEFAULT_SIZE = 1024;
    public static final int DEFAULT_OUTPUTS = 1;
    public static final String DEFAULT_SCHEDULER = "euler";
    public static final String DEFAULT_STYLE = "(No style)";
    /** Webhook event filters a job may ask for. */
    public static final List<String> WEBHOOK_EVENTS = List.of("started", "progress", "completed");
    public static final List<String> WEBHOOK_EVENTS_DEFAULT = List.of("completed");
    /** File formats of the outputs; quality applies to the lossy ones. */
    public static final List<String> OUTPUT_FORMATS = List.of("png", "jpeg", "webp");
    public static final String DEFAULT_OUTPUT_FORMAT = "png";
    public static final int DEFAULT_OUTPUT_QUALITY = 90;

    /** A request without output format settings (PNG). */
    public JobRequest(String prompt, String negativePrompt, String style, Integer numSteps, Double guidanceScale,
                      Double guidanceRescale, Double styleStrength, Long seed, Integer width, Integer height,
                      Integer numOutputs, String scheduler, List<IdentityRef> identityIds, Long deadlineSeconds,
                      String webhook, List<String> webhookEvents) {
        this(prompt, negativePrompt, style, numSteps, guidanceScale, guidanceRescale, styleStrength, seed, width,
                height, numOutputs, scheduler, identityIds, deadlineSeconds, webhook, webhookEvents, null, null);
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
                scheduler == null ? DEFAULT_SCHEDULER : scheduler,
                identityIds == null ? List.of() : List.copyOf(identityIds),
                deadlineSeconds,
                webhook,
                webhookEvents == null ? (webhook == null ? List.of() : WEBHOOK_EVENTS_DEFAULT) : List.copyOf(webhookEvents),
                outputFormat == null ? DEFAULT_OUTPUT_FORMAT : outputFormat,
                outputQuality == null ? DEFAULT_OUTPUT_QUALITY : outputQuality);
    }
}
