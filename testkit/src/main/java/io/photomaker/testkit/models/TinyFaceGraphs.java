package io.photomaker.testkit.models;

import static io.photomaker.testkit.models.OnnxGraph.attr;
import static io.photomaker.testkit.models.OnnxGraph.ints;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiny stand-ins for PhotoMaker V2's extra networks, with the real interfaces:
 * <ul>
 * <li>an SCRFD face detector shaped like InsightFace det_10g (input {@code [1, 3, H, W]}, nine outputs named by
 * number: scores, box distances and keypoint offsets at strides 8, 16, 32, two anchors per cell). It finds the
 * testkit's drawn portraits: a skin mask (warm: R - B above 0.1; bright: R above 0.45) gives the face box as
 * mean +- 2 standard deviations of the mask's pixel coordinates (the extent of a filled ellipse), keypoints at
 * the portraits' proportions inside the box, and at stride 32 a score that rises with the share of skin in
 * the cell ({@code sigmoid(12 (share - 0.6))}); strides 8 and 16 never fire. Every anchor reports the same
 * box, so non-maximum suppression leaves exactly one face.</li>
 * <li>an ArcFace recognizer shaped like w600k_r50 ({@code [N, 3, 112, 112]} to {@code [N, 512]}, ports named
 * by number): 8x8 average-pooled patches through two dense layers;</li>
 * <li>the PhotoMaker V2 ID encoder ({@code id_pixel_values}, {@code face_embeds} to {@code id_embeds [N, 2, D]}):
 * patch tokens from the image, two tokens from the face embedding (token_proj, LayerNorm), one attention of the
 * tokens over the patches, residual, like the QFormer perceiver.</li>
 * </ul>
 */
final class TinyFaceGraphs {

    /** Keypoints inside the face box (fractions of width and height), as the sample portraits draw them. */
    static final double[] KEYPOINTS_IN_BOX = {0.275, 0.42, 0.725, 0.42, 0.5, 0.59, 0.345, 0.72, 0.655, 0.72};
    /** Width of the tiny ArcFace embedding (the real one's). */
    static final int FACE_EMBED_DIM = 512;

    private static final int[] STRIDES = {8, 16, 32};
    private static final float SHARPNESS = 20f;

    private final long seed;

    TinyFaceGraphs(long seed) {
        this.seed = seed;
    }

    /** The face detector (float32, like the published det_10g). */
    byte[] faceDetector() {
        OnnxGraph g = new OnnxGraph("face_detector", false, seed);
        String x = g.floatInput("input.1", 1, 3, "height", "width");
        String mask = skinMask(g, x);
        Moments face = moments(g, mask);
        String shape = g.op("Shape", x);
        List<String[]> outputs = new ArrayList<>();
        for (int stride : STRIDES) {
            outputs.add(level(g, mask, shape, face, stride));
        }
        int name = 448;
        for (int kind = 0; kind < 3; kind++) {
            int width = kind == 0 ? 1 : kind == 1 ? 4 : 10;
            for (int level = 0; level < STRIDES.length; level++) {
                g.floatOutput(outputs.get(level)[kind], Integer.toString(name++), "anchors" + STRIDES[level], width);
            }
        }
        return g.toBytes();
    }

    /** Soft AND of "warm" and "bright" per pixel: [1, 1, H, W] in 0..1. */
    private static String skinMask(OnnxGraph g, String x) {
        // blob values are (v - 127.5) / 128, about 2 v - 1 for v in 0..1
        float k = SHARPNESS;
        float[] w = {k, 0, -k, k, 0, 0};
        float[] b = {-k * 0.2f, k * 0.1f};
        String features = g.op("Conv", x, g.exactFloatConstant("skin.weight", w, 2, 3, 1, 1),
                g.exactFloatConstant("skin.bias", b, 2));
        return g.op("ReduceMin", List.of(g.op("Sigmoid", features)), ints("axes", 1), attr("keepdims", 1L));
    }

    /** The face box (x1, y1, x2, y2) from the mask's first and second moments, as scalars. */
    private record Moments(String x1, String y1, String x2, String y2) {
    }

    private Moments moments(OnnxGraph g, String mask) {
        String m8 = g.op("AveragePool", List.of(mask), ints("kernel_shape", 8, 8), ints("strides", 8, 8));
        String shape = g.op("Shape", m8);
        String xs = centres(g, g.op("Gather", shape, scalar(g, "m8_w_index", 3)), "m8_x");
        String ys = g.op("Unsqueeze", centres(g, g.op("Gather", shape, scalar(g, "m8_h_index", 2)), "m8_y"),
                g.int64Constant("m8_y_axes", new long[] {1}, 1));
        String total = g.op("Add", sum(g, m8), g.exactFloatConstant("epsilon", new float[] {1e-6f}));
        String mx = g.op("Div", sum(g, g.op("Mul", m8, xs)), total);
        String my = g.op("Div", sum(g, g.op("Mul", m8, ys)), total);
        String sx = deviation(g, m8, xs, mx, total);
        String sy = deviation(g, m8, ys, my, total);
        String two = g.exactFloatConstant("two", new float[] {2f});
        String hx = g.op("Mul", sx, two);
        String hy = g.op("Mul", sy, two);
        return new Moments(g.op("Sub", mx, hx), g.op("Sub", my, hy), g.op("Add", mx, hx), g.op("Add", my, hy));
    }

    /** Pixel centres of the 8x8 cells along one axis: 8 i + 3.5, i < count. */
    private static String centres(OnnxGraph g, String count, String name) {
        String index = g.cast(g.op("Range", scalar(g, name + "_start", 0), count, scalar(g, name + "_delta", 1)),
                TensorProto.DataType.FLOAT_VALUE);
        return g.op("Add", g.op("Mul", index, g.exactFloatConstant(name + "_scale", new float[] {8f})),
                g.exactFloatConstant(name + "_offset", new float[] {3.5f}));
    }

    private static String deviation(OnnxGraph g, String m8, String coords, String mean, String total) {
        String second = g.op("Div", sum(g, g.op("Mul", m8, g.op("Mul", coords, coords))), total);
        String variance = g.op("Sub", second, g.op("Mul", mean, mean));
        return g.op("Sqrt", g.op("Max", variance, g.exactFloatConstant("min_variance_" + coords, new float[] {1f})));
    }

    private static String sum(OnnxGraph g, String x) {
        return g.op("ReduceSum", List.of(x), attr("keepdims", 0L));
    }

    private static String scalar(OnnxGraph g, String name, long value) {
        return g.int64Constant(name, new long[] {value});
    }

    /** Scores, boxes and keypoints of one stride: [anchors, 1], [anchors, 4], [anchors, 10]. */
    private String[] level(OnnxGraph g, String mask, String inputShape, Moments face, int stride) {
        String s = "s" + stride;
        String strideInt = scalar(g, s + "_stride", stride);
        String rows = g.op("Div", g.op("Gather", inputShape, scalar(g, s + "_h_index", 2)), strideInt);
        String columns = g.op("Div", g.op("Gather", inputShape, scalar(g, s + "_w_index", 3)), strideInt);
        String strideF = g.exactFloatConstant(s + "_stride_f", new float[] {stride});
        String cx = g.op("Mul", g.cast(g.op("Range", scalar(g, s + "_x0", 0), columns, scalar(g, s + "_dx", 1)),
                TensorProto.DataType.FLOAT_VALUE), strideF);
        String cyColumn = g.op("Mul", g.cast(g.op("Range", scalar(g, s + "_y0", 0), rows, scalar(g, s + "_dy", 1)),
                TensorProto.DataType.FLOAT_VALUE), strideF);
        String cy = g.op("Unsqueeze", cyColumn, g.int64Constant(s + "_cy_axes", new long[] {1}, 1));
        String zero = g.op("Add", g.op("Mul", cy, g.exactFloatConstant(s + "_zero_y", new float[] {0f})),
                g.op("Mul", cx, g.exactFloatConstant(s + "_zero_x", new float[] {0f})));
        String gridX = g.op("Add", zero, cx);
        String gridY = g.op("Add", zero, cy);

        String[] box = {
            g.op("Div", g.op("Sub", gridX, face.x1()), strideF),
            g.op("Div", g.op("Sub", gridY, face.y1()), strideF),
            g.op("Div", g.op("Sub", face.x2(), gridX), strideF),
            g.op("Div", g.op("Sub", face.y2(), gridY), strideF)};
        String width = g.op("Sub", face.x2(), face.x1());
        String height = g.op("Sub", face.y2(), face.y1());
        String[] points = new String[10];
        for (int i = 0; i < 10; i++) {
            boolean isX = i % 2 == 0;
            String fraction = g.exactFloatConstant(s + "_kp" + i, new float[] {(float) KEYPOINTS_IN_BOX[i]});
            String at = g.op("Add", isX ? face.x1() : face.y1(), g.op("Mul", fraction, isX ? width : height));
            points[i] = g.op("Div", g.op("Sub", at, isX ? gridX : gridY), strideF);
        }
        String score;
        if (stride == 32) {
            String share = g.op("AveragePool", List.of(mask), ints("kernel_shape", 32, 32), ints("strides", 32, 32));
            share = g.op("Squeeze", share, g.int64Constant(s + "_squeeze", new long[] {0, 1}, 2));
            score = g.op("Sigmoid", g.op("Mul", g.op("Sub", share, g.exactFloatConstant(s + "_share", new float[] {0.6f})),
                    g.exactFloatConstant(s + "_gain", new float[] {12f})));
        } else {
            score = g.op("Sigmoid", g.op("Sub", zero, g.exactFloatConstant(s + "_off", new float[] {20f})));
        }
        return new String[] {anchors(g, s + "_score", new String[] {score}),
            anchors(g, s + "_box", box), anchors(g, s + "_kps", points)};
    }

    /** Stacks per-cell components [h, w] into [h * w * 2, components]: row-major cells, each anchor twice. */
    private static String anchors(OnnxGraph g, String name, String[] components) {
        String axis2 = g.int64Constant(name + "_axis2", new long[] {2}, 1);
        List<String> columns = new ArrayList<>();
        for (String c : components) {
            columns.add(g.op("Unsqueeze", c, axis2));
        }
        String cells = columns.size() == 1 ? columns.get(0) : g.op("Concat", columns, attr("axis", 2L));
        String once = g.op("Unsqueeze", cells, axis2);
        String twice = g.op("Concat", List.of(once, once), attr("axis", 2L));
        return g.op("Reshape", twice, g.int64Constant(name + "_shape", new long[] {-1, components.length}, 2));
    }

    /** The face recognizer (float32, like the published w600k_r50). */
    byte[] faceRecognizer() {
        OnnxGraph g = new OnnxGraph("face_recognizer", false, seed + 1);
        String x = g.floatInput("input.1", "batch", 3, 112, 112);
        String patches = g.op("AveragePool", List.of(x), ints("kernel_shape", 8, 8), ints("strides", 8, 8));
        String flat = g.op("Flatten", List.of(patches), attr("axis", 1L));
        int features = 3 * 14 * 14;
        String h = g.dense(flat, g.weight("fc1.weight", 2.0 / Math.sqrt(features), features, 64),
                g.weight("fc1.bias", 0.1, 64));
        String embedding = g.op("Add", g.op("MatMul", h, g.weight("fc2.weight", 4.0 / Math.sqrt(64), 64, FACE_EMBED_DIM)),
                g.weight("fc2.bias", 0.5, FACE_EMBED_DIM));
        g.floatOutput(embedding, "683", "batch", FACE_EMBED_DIM);
        return g.toBytes();
    }

    /**
     * The V2 ID encoder: patch tokens (16x16 average pool, per-patch projection, tanh) stand in for CLIP's
     * last_hidden_state; token_proj (dense, tanh, dense) of the face embedding gives {@code tokens} rows of D,
     * LayerNorm; the rows attend over the patch tokens (softmax(q k^T / sqrt(d)) v) and the result is added.
     */
    static byte[] idEncoderV2(OnnxGraph g, Object batch, int tokens, int dim) {
        int size = TinyModelBuilder.ID_IMAGE_SIZE;
        int patchCount = (size / 16) * (size / 16);
        int hidden = 32;
        int key = 16;
        String pixels = g.floatInput("id_pixel_values", batch, 3, size, size);
        String faces = g.floatInput("face_embeds", batch, FACE_EMBED_DIM);
        String pooled = g.op("AveragePool", List.of(pixels), ints("kernel_shape", 16, 16), ints("strides", 16, 16));
        String grid = g.op("Reshape", pooled, g.int64Constant("patch_shape", new long[] {0, 3, patchCount}, 3));
        String perPatch = g.op("Transpose", List.of(grid), ints("perm", 0, 2, 1));
        String patches = g.op("Tanh", g.op("Add", g.op("MatMul", perPatch, g.weight("patch.weight", 1.0, 3, hidden)),
                g.weight("patch.position", 0.2, patchCount, hidden)));
        String proj = g.dense(faces, g.weight("token_proj.fc1", 1.0 / Math.sqrt(FACE_EMBED_DIM), FACE_EMBED_DIM, 64),
                g.weight("token_proj.bias1", 0.1, 64));
        proj = g.op("MatMul", proj, g.weight("token_proj.fc2", 1.0 / Math.sqrt(64), 64, tokens * dim));
        String rows = g.op("Reshape", proj, g.int64Constant("token_shape", new long[] {-1, tokens, dim}, 3));
        rows = TinyGraphs.layerNorm(g, "token_norm", rows, dim);
        String q = g.op("MatMul", rows, g.weight("attn.q", 1.0 / Math.sqrt(dim), dim, key));
        String k = g.op("MatMul", patches, g.weight("attn.k", 1.0 / Math.sqrt(hidden), hidden, key));
        String v = g.op("MatMul", patches, g.weight("attn.v", 1.0 / Math.sqrt(hidden), hidden, dim));
        String logits = g.op("Mul", g.op("MatMul", q, g.op("Transpose", List.of(k), ints("perm", 0, 2, 1))),
                g.exactFloatConstant("attn.scale", new float[] {(float) (1 / Math.sqrt(key))}));
        String attended = g.op("MatMul", g.op("Softmax", List.of(logits), attr("axis", -1L)), v);
        g.floatOutput(g.op("Add", rows, attended), "id_embeds", batch, tokens, dim);
        return g.toBytes();
    }
}
