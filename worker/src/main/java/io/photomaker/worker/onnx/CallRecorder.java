package io.photomaker.worker.onnx;

import ai.onnxruntime.OnnxValue;
import java.util.Map;

/**
 * Sees every session run of the models it is attached to ({@link OnnxModel#setRecorder}): the tensors the model
 * was given and the outputs read back, in the element types the model saw. Called on the running thread right
 * after the run, while the tensors are still valid; implementations copy what they keep.
 */
@FunctionalInterface
public interface CallRecorder {

    /**
     * One run.
     *
     * @param model   the model's role name (text_encoder, unet, ...)
     * @param note    what the run was for when the model says (the UNet: its batch rows), else null
     * @param inputs  the feeds by input name
     * @param outputs the outputs read, by output name
     */
    void onRun(String model, String note, Map<String, ? extends OnnxValue> inputs, Map<String, ? extends OnnxValue> outputs);
}
