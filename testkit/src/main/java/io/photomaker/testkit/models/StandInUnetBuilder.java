package io.photomaker.testkit.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A UNet with the real SDXL interface and sizes (sample [B,4,h,w], float scalar timestep,
 * encoder_hidden_states [B,77,2048], text_embeds [B,1280], time_ids [B,6] -> out_sample) and negligible
 * compute: out = sample * 0.5 + mean(encoder_hidden_states) + mean(text_embeds) + mean(time_ids) * 1e-3
 * + timestep * 1e-4. Used to measure the per-step cost of everything around the UNet.
 */
public final class StandInUnetBuilder {

    public static final int LATENT_CHANNELS = 4;
    public static final int PROMPT_DIM = 2048;
    public static final int POOLED_DIM = 1280;
    public static final int MAX_TOKENS = 77;

    private StandInUnetBuilder() {
    }

    /** The model's bytes (float32, dynamic batch/height/width, deterministic). */
    public static byte[] modelBytes() {
        OnnxGraph g = new OnnxGraph("standin_unet", false, 0);
        String sample = g.floatInput("sample", "batch", LATENT_CHANNELS, "height", "width");
        String t = g.floatInput("timestep");
        String hidden = g.floatInput("encoder_hidden_states", "batch", MAX_TOKENS, PROMPT_DIM);
        String pooled = g.floatInput("text_embeds", "batch", POOLED_DIM);
        String timeIds = g.floatInput("time_ids", "batch", 6);

        String bias = g.op("Add", mean(g, hidden), mean(g, pooled));
        bias = g.op("Add", bias, g.op("Mul", mean(g, timeIds), g.exactFloatConstant("time_ids_scale", new float[] {1e-3f})));
        bias = g.op("Add", bias, g.op("Mul", t, g.exactFloatConstant("timestep_scale", new float[] {1e-4f})));
        String scaled = g.op("Mul", sample, g.exactFloatConstant("sample_scale", new float[] {0.5f}));
        g.floatOutput(g.op("Add", scaled, bias), "out_sample", "batch", LATENT_CHANNELS, "height", "width");
        return g.toBytes();
    }

    /** Writes the model to {@code file} and returns the path. */
    public static Path write(Path file) throws IOException {
        TinyModelBuilder.write(file, modelBytes());
        return file;
    }

    private static String mean(OnnxGraph g, String x) {
        return g.op("ReduceMean", List.of(x), OnnxGraph.attr("keepdims", 0L));
    }
}
