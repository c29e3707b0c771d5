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

    /** The precision of a stand-in: float32, or float16 with float32 or float16 inputs and outputs. */
    public enum Precision {
        /** float32 throughout. */
        FLOAT32(false, false),
        /** float16 inside, float32 inputs and outputs (casts in the graph, where a GPU runs them). */
        FLOAT16_FLOAT32_IO(true, true),
        /** float16 inputs and outputs: the caller converts every step. */
        FLOAT16_IO(true, false);

        private final boolean float16;
        private final boolean float32Io;

        Precision(boolean float16, boolean float32Io) {
            this.float16 = float16;
            this.float32Io = float32Io;
        }
    }

    /** The model's bytes (float32, dynamic batch/height/width, deterministic). */
    public static byte[] modelBytes() {
        return modelBytes(Precision.FLOAT32);
    }

    /** The model's bytes in {@code precision}. */
    public static byte[] modelBytes(Precision precision) {
        OnnxGraph g = new OnnxGraph("standin_unet", precision.float16, precision.float32Io, 0);
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
        return write(file, Precision.FLOAT32);
    }

    /** Writes the model in {@code precision} to {@code file} and returns the path. */
    public static Path write(Path file, Precision precision) throws IOException {
        TinyModelBuilder.write(file, modelBytes(precision));
        return file;
    }

    private static String mean(OnnxGraph g, String x) {
        return g.op("ReduceMean", List.of(x), OnnxGraph.attr("keepdims", 0L));
    }
}
