package io.photomaker.worker.pipeline;

import ai.onnxruntime.OnnxValue;
import io.photomaker.worker.onnx.CallRecorder;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * Watches one generation from inside: every model call (as a {@link CallRecorder}), what the calls that follow
 * are for, each denoising step, and the tensors between the models (the noise draw, the initial and final
 * latents, the decoded images). {@link #NONE} ignores everything; a tensor dump writes it all to disk.
 */
public interface GenerationRecorder extends CallRecorder {

    /** Records nothing. */
    GenerationRecorder NONE = new GenerationRecorder() {
    };

    @Override
    default void onRun(String model, String note, Map<String, ? extends OnnxValue> inputs,
            Map<String, ? extends OnnxValue> outputs) {
    }

    /**
     * The model calls that follow belong to {@code phase}: {@code id_images}, {@code prompt:id},
     * {@code prompt:text_only}, {@code prompt:negative}, {@code denoise} or {@code decode}; {@code output} is the
     * (first) output image they serve, or -1 for all.
     */
    default void phase(String phase, int output) {
    }

    /**
     * The UNet calls that follow are step {@code step} of outputs {@code firstOutput .. firstOutput + outputs - 1}
     * (denoised together) at {@code timestep}; the conditional branch uses the ID prompt ({@code idPrompt}) or
     * the text-only prompt.
     */
    default void step(int firstOutput, int outputs, int step, double timestep, boolean idPrompt) {
    }

    /** Facts about the generation as a whole (request, noise, schedule) for the record. */
    default void describe(Map<String, Object> facts) {
    }

    /** A float32 tensor between models, e.g. {@code noise} or {@code latents-initial}. */
    default void tensor(String name, long[] shape, float[] values) {
    }

    /** Output {@code output}'s picture as it goes into the PNG. */
    default void image(int output, BufferedImage image) {
    }
}
