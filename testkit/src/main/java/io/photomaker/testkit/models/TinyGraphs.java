package io.photomaker.testkit.models;

import static io.photomaker.testkit.models.OnnxGraph.attr;
import static io.photomaker.testkit.models.OnnxGraph.ints;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;

/**
 * The graphs of the tiny model set: same input/output names, ranks and element types as the exported
 * SDXL/PhotoMaker models, tiny widths, seeded weights, and cheap arithmetic in which every output depends
 * on every input.
 */
final class TinyGraphs {

    private final boolean float16;
    private final long seed;
    /** The batch dimension of every model: symbolic, or fixed to 1. */
    private final Object batch;
    private final boolean int64Timestep;
    private final boolean float32Io;

    TinyGraphs(boolean float16, long seed, boolean fixedBatchOfOne, boolean int64Timestep) {
        this(float16, false, seed, fixedBatchOfOne, int64Timestep);
    }

    TinyGraphs(boolean float16, boolean float32Io, long seed, boolean fixedBatchOfOne, boolean int64Timestep) {
        this.float16 = float16;
        this.float32Io = float32Io;
        this.seed = seed;
        this.batch = fixedBatchOfOne ? (Object) 1 : "batch";
        this.int64Timestep = int64Timestep;
    }

    private OnnxGraph graph(String name) {
        return new OnnxGraph(name, float16, float32Io, seed);
    }

    /**
     * A CLIP-like text encoder: token + position embeddings, {@code layers} residual mixing layers (each
     * publishes hidden_states.k), a final LayerNorm (last_hidden_state) and the row at the end-of-text token
     * (first occurrence of the highest id, as CLIP pools). With {@code projectionDim > 0} the pooled row is
     * projected to text_embeds (text_encoder_2), otherwise published as pooler_output (text_encoder).
     */
    byte[] textEncoder(String name, int vocabSize, int hidden, int layers, int projectionDim) {
        int tokens = TinyModelBuilder.MAX_TOKENS;
        OnnxGraph g = graph(name);
        String ids = g.int64Input("input_ids", batch, tokens);
        String tok = g.op("Gather", g.weight("token_embedding", 0.5, vocabSize, hidden), ids);
        String h = g.op("Add", tok, g.weight("position_embedding", 0.1, tokens, hidden));
        g.floatOutput(h, "hidden_states.0", batch, tokens, hidden);
        for (int k = 1; k <= layers; k++) {
            String mix = g.op("ReduceMean", List.of(h), ints("axes", 1), attr("keepdims", 1L));
            String mixed = g.op("Add", h, mix);
            String w = g.weight("layer" + k + ".weight", 1.0 / Math.sqrt(hidden), hidden, hidden);
            String b = g.weight("layer" + k + ".bias", 0.1, hidden);
            h = g.op("Add", h, g.dense(mixed, w, b));
            g.floatOutput(h, "hidden_states." + k, batch, tokens, hidden);
        }
        String last = layerNorm(g, "final_layer_norm", h, hidden);
        String eos = g.op("ArgMax", List.of(g.cast(ids, TensorProto.DataType.FLOAT_VALUE)),
                attr("axis", 1L), attr("keepdims", 1L));
        String pooled = g.op("GatherND", List.of(last, eos), attr("batch_dims", 1L));
        if (projectionDim > 0) {
            String projection = g.weight("text_projection", 1.0 / Math.sqrt(hidden), hidden, projectionDim);
            g.floatOutput(g.op("MatMul", pooled, projection), "text_embeds", batch, projectionDim);
        }
        g.floatOutput(last, "last_hidden_state", batch, tokens, hidden);
        if (projectionDim <= 0) {
            g.floatOutput(pooled, "pooler_output", batch, hidden);
        }
        return g.toBytes();
    }

    /**
     * ID encoder: 16x16 average-pool patches of the 224x224 image, one dense layer, LayerNorm, then two
     * projections (widths of text encoder 1 and 2) concatenated, like PhotoMaker V1's visual_projection(_2).
     */
    byte[] idEncoder(int visionHidden, int width1, int width2) {
        int size = TinyModelBuilder.ID_IMAGE_SIZE;
        int features = 3 * (size / 16) * (size / 16);
        OnnxGraph g = graph("id_encoder");
        String pixels = g.floatInput("id_pixel_values", batch, 3, size, size);
        String patches = g.op("AveragePool", List.of(pixels), ints("kernel_shape", 16, 16), ints("strides", 16, 16));
        String flat = g.op("Flatten", List.of(patches), attr("axis", 1L));
        String h = g.dense(flat, g.weight("vision.weight", 2.0 / Math.sqrt(features), features, visionHidden),
                g.weight("vision.bias", 0.1, visionHidden));
        h = layerNorm(g, "post_layernorm", h, visionHidden);
        String p1 = g.op("MatMul", h, g.weight("visual_projection", 1.0 / Math.sqrt(visionHidden), visionHidden, width1));
        String p2 = g.op("MatMul", h, g.weight("visual_projection_2", 1.0 / Math.sqrt(visionHidden), visionHidden, width2));
        g.floatOutput(g.op("Concat", List.of(p1, p2), attr("axis", 1L)), "id_embeds", batch, width1 + width2);
        return g.toBytes();
    }

    /** The PhotoMaker V2 ID encoder (see {@link TinyFaceGraphs#idEncoderV2}). */
    byte[] idEncoderV2(int tokens, int dim) {
        return TinyFaceGraphs.idEncoderV2(graph("id_encoder"), batch, tokens, dim);
    }

    /** Fuse: x = dense(concat(c, e)) + c; x = mlp(x) + x; LayerNorm(x) -- the shape of PhotoMaker's FuseModule. */
    byte[] fuse(int dim) {
        OnnxGraph g = graph("fuse");
        String c = g.floatInput("prompt_embeds", batch, dim);
        String e = g.floatInput("id_embeds", batch, dim);
        String both = g.op("Concat", List.of(c, e), attr("axis", 1L));
        String x = g.op("Add", c, g.dense(both, g.weight("mlp1.weight", 1.0 / Math.sqrt(2 * dim), 2 * dim, dim),
                g.weight("mlp1.bias", 0.1, dim)));
        String inner = g.dense(x, g.weight("mlp2.fc1", 1.0 / Math.sqrt(dim), dim, dim), g.weight("mlp2.bias", 0.1, dim));
        x = g.op("Add", x, g.op("MatMul", inner, g.weight("mlp2.fc2", 1.0 / Math.sqrt(dim), dim, dim)));
        g.floatOutput(layerNorm(g, "layer_norm", x, dim), "fused_embeds", batch, dim);
        return g.toBytes();
    }

    /**
     * UNet stand-in: out = sample + 0.1 * tanh(conv1x1(sample) + cond), cond[b, c] from the mean over tokens of
     * encoder_hidden_states, text_embeds, time_ids and sin(timestep * f). Predicting roughly the sample as
     * noise keeps the sampler's trajectory bounded, as a trained model's would be.
     */
    byte[] unet(int channels, int promptDim, int pooledDim) {
        OnnxGraph g = graph("unet");
        String sample = g.floatInput("sample", batch, channels, "height", "width");
        String t = int64Timestep ? g.int64Input("timestep", batch) : g.floatInput("timestep");
        String hidden = g.floatInput("encoder_hidden_states", batch, TinyModelBuilder.MAX_TOKENS, promptDim);
        String pooled = g.floatInput("text_embeds", batch, pooledDim);
        String timeIds = g.floatInput("time_ids", batch, 6);

        String context = g.op("ReduceMean", List.of(hidden), ints("axes", 1), attr("keepdims", 0L));
        String cond = g.op("Add", g.op("MatMul", context, g.weight("context_proj", 0.5, promptDim, channels)),
                g.op("MatMul", pooled, g.weight("pooled_proj", 0.5, pooledDim, channels)));
        cond = g.op("Add", cond, g.op("MatMul", timeIds, g.weight("time_ids_proj", 0.001, 6, channels)));
        float[] frequencies = new float[channels];
        for (int i = 0; i < channels; i++) {
            frequencies[i] = 0.0015f * (i + 1);
        }
        String tFloat = int64Timestep
                ? g.op("Unsqueeze", g.cast(t, TensorProto.DataType.FLOAT_VALUE), g.int64Constant("t_axes", new long[] {1}, 1))
                : t;
        String timeEmbedding = g.op("Sin", g.op("Mul", tFloat, g.exactFloatConstant("frequencies", frequencies, channels)));
        cond = g.op("Add", cond, timeEmbedding);
        cond = g.op("Unsqueeze", cond, g.int64Constant("spatial_axes", new long[] {2, 3}, 2));

        String mixed = g.op("Conv", g.op("Mul", sample, g.exactFloatConstant("input_scale", new float[] {0.2f})),
                g.weight("conv.weight", 0.5, channels, channels, 1, 1), g.weight("conv.bias", 0.1, channels));
        String delta = g.op("Mul", g.op("Tanh", g.op("Add", mixed, cond)), g.exactFloatConstant("delta_scale", new float[] {0.1f}));
        g.floatOutput(g.op("Add", sample, delta), "out_sample", batch, channels, "height", "width");
        return g.toBytes();
    }

    /** VAE decoder: 1x1 convolution to RGB, nearest-neighbour upscaling by {@code scale}, tanh into [-1, 1]. */
    byte[] vaeDecoder(int channels, int scale) {
        OnnxGraph g = graph("vae_decoder");
        String latent = g.floatInput("latent_sample", batch, channels, "latent_height", "latent_width");
        String rgb = g.op("Conv", latent, g.weight("conv_out.weight", 0.1, 3, channels, 1, 1), g.weight("conv_out.bias", 0.1, 3));
        String scales = g.exactFloatConstant("scales", new float[] {1, 1, scale, scale}, 4);
        String up = g.op("Resize", List.of(rgb, "", scales), attr("mode", "nearest"),
                attr("coordinate_transformation_mode", "asymmetric"), attr("nearest_mode", "floor"));
        g.floatOutput(g.op("Tanh", up), "sample", batch, 3, "image_height", "image_width");
        return g.toBytes();
    }

    static String layerNorm(OnnxGraph g, String name, String x, int width) {
        float[] ones = new float[width];
        java.util.Arrays.fill(ones, 1f);
        String gamma = g.floatConstant(name + ".weight", ones, width);
        String beta = g.weight(name + ".bias", 0.05, width);
        return g.op("LayerNormalization", List.of(x, gamma, beta), attr("axis", -1L), attr("epsilon", 1e-5f));
    }
}
