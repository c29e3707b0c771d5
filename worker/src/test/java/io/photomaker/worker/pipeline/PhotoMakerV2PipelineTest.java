package io.photomaker.worker.pipeline;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.pipeline.face.FaceAnalyzer;
import io.photomaker.worker.pipeline.face.RgbRaster;
import io.photomaker.worker.pipeline.image.ClipImagePreprocessor;
import io.photomaker.worker.pipeline.prompt.PromptTokens;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PhotoMaker V2 on the tiny V2 model set: face detection and ArcFace feed the V2 ID encoder, two class tokens
 * per photo, photos without a face left out, and the pipeline's results checked against the ONNX models run
 * directly by ONNX Runtime.
 */
class PhotoMakerV2PipelineTest {

    private static final int D = TinyModelBuilder.PROMPT_DIM;

    @TempDir
    static Path dir;
    static ModelManifest manifest;
    static PhotoMakerPipeline pipeline;
    static OrtEnvironment env;

    @BeforeAll
    static void load() throws Exception {
        manifest = TinyModelBuilder.create().photomakerVersion("v2").build(dir);
        pipeline = PhotoMakerPipeline.load(dir, ExecutionConfig.cpu(1));
        env = OrtEnvironment.getEnvironment();
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    private static BufferedImage portrait(long seed) {
        return SamplePortraits.draw(seed, 240, 300);
    }

    @Test
    void the_manifest_says_v2_with_two_tokens_per_photo_and_the_pipeline_loads_the_face_models() {
        assertEquals("photomaker-v2", manifest.servedModel());
        assertEquals(2, manifest.tokensPerImage());
        assertTrue(pipeline.faces().isPresent());
        assertEquals(null, pipeline.models().idEncoder());
    }

    @Test
    void a_v2_id_embedding_is_the_id_encoder_run_on_the_clip_pixels_and_the_face_embedding() throws Exception {
        BufferedImage photo = portrait(1);
        IdPhotos encoded = pipeline.encodeIdPhotos(List.of(photo));
        assertEquals(1, encoded.idEmbeddings().size());
        assertEquals(2 * D, encoded.idEmbeddings().get(0).length);

        float[] face = pipeline.faces().orElseThrow().firstFace(RgbRaster.of(photo)).orElseThrow().embedding();
        assertArrayEquals(face, encoded.faceEmbeddings().get(0));
        float[] pixels = new float[3 * 224 * 224];
        ClipImagePreprocessor.toTensor(photo, 224, pixels, 0);
        try (OrtSession session = env.createSession(manifest.modelPath(dir, ModelRole.ID_ENCODER).toString());
                OnnxTensor p = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {1, 3, 224, 224});
                OnnxTensor f = OnnxTensor.createTensor(env, FloatBuffer.wrap(face), new long[] {1, face.length});
                OrtSession.Result r = session.run(Map.of("id_pixel_values", p, "face_embeds", f))) {
            float[] direct = read(r, "id_embeds");
            assertArrayEquals(direct, encoded.idEmbeddings().get(0), 1e-6f);
        }
    }

    @Test
    void each_photo_gives_two_class_tokens_fused_in_order_photo_then_token() throws Exception {
        List<float[]> ids = pipeline.encodeIdImages(List.of(portrait(2), portrait(3)));
        PromptTokens tokens = pipeline.promptTokenizer().tokenize("a photo of a woman img in the snow", "", ids.size());
        assertEquals(4, tokens.classTokenCount());
        PromptEncoder encoder = pipeline.promptEncoder();
        float[] plain = encoder.encode(tokens.idPromptIds1(), tokens.idPromptIds2()).hidden();
        float[] fused = encoder.fuseIdentity(plain, tokens, ids);
        int first = tokens.classTokenIndex();
        try (OrtSession fuse = env.createSession(manifest.modelPath(dir, ModelRole.FUSE).toString())) {
            for (int photo = 0; photo < 2; photo++) {
                for (int token = 0; token < 2; token++) {
                    int row = first + 2 * photo + token;
                    float[] idRow = Arrays.copyOfRange(ids.get(photo), token * D, (token + 1) * D);
                    float[] expected = fuseOne(fuse, Arrays.copyOfRange(plain, row * D, (row + 1) * D), idRow);
                    assertArrayEquals(expected, Arrays.copyOfRange(fused, row * D, (row + 1) * D), 1e-5f,
                            "photo " + photo + " token " + token);
                }
            }
        }
        for (int r = 0; r < 77; r++) {
            if (!tokens.classTokenMask()[r]) {
                assertArrayEquals(Arrays.copyOfRange(plain, r * D, (r + 1) * D), Arrays.copyOfRange(fused, r * D, (r + 1) * D));
            }
        }
    }

    @Test
    void photos_without_a_face_are_left_out_of_both_lists() {
        BufferedImage none = SamplePortraits.drawWithoutFace(9, 240, 300);
        IdPhotos mixed = pipeline.encodeIdPhotos(List.of(portrait(4), none, portrait(5)));
        assertEquals(List.of(1), mixed.withoutFace());
        assertEquals(2, mixed.idEmbeddings().size());
        assertEquals(2, mixed.faceEmbeddings().size());
        IdPhotos faces = pipeline.encodeIdPhotos(List.of(portrait(4), portrait(5)));
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(faces.idEmbeddings().get(i), mixed.idEmbeddings().get(i));
            assertArrayEquals(faces.faceEmbeddings().get(i), mixed.faceEmbeddings().get(i));
        }
    }

    @Test
    void no_face_in_any_photo_fails_at_once_naming_the_photos() {
        PipelineException e = assertThrows(PipelineException.class, () -> pipeline.encodeIdPhotos(
                List.of(SamplePortraits.drawWithoutFace(1, 200, 200), SamplePortraits.drawWithoutFace(2, 200, 200))));
        assertEquals(ErrorType.NO_FACE_DETECTED.wireName(), e.type());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("ID photo 1, 2"), e.getMessage());
    }

    @Test
    void a_v2_generation_runs_and_different_faces_give_different_images() {
        GenerationRequest a = GenerationRequest.of("a woman img in a garden", pipeline.encodeIdImages(List.of(portrait(6))))
                .withSteps(3).withSize(64, 64);
        GenerationRequest b = GenerationRequest.of("a woman img in a garden", pipeline.encodeIdImages(List.of(portrait(7))))
                .withSteps(3).withSize(64, 64);
        byte[] first = pipeline.generate(a, (s, t) -> { }, io.photomaker.worker.stop.StopSignal.NONE).images().get(0).png();
        byte[] second = pipeline.generate(b, (s, t) -> { }, io.photomaker.worker.stop.StopSignal.NONE).images().get(0).png();
        assertFalse(Arrays.equals(first, second));
    }

    @Test
    void the_same_face_in_another_picture_scores_higher_than_another_face() {
        FaceAnalyzer faces = pipeline.faces().orElseThrow();
        float[] a = faces.firstFace(RgbRaster.of(portrait(8))).orElseThrow().embedding();
        float[] aLarger = faces.firstFace(RgbRaster.of(SamplePortraits.draw(8, 360, 450))).orElseThrow().embedding();
        float[] b = faces.firstFace(RgbRaster.of(portrait(9))).orElseThrow().embedding();
        double same = io.photomaker.worker.pipeline.face.FaceEmbeddings.cosine(a, aLarger);
        double other = io.photomaker.worker.pipeline.face.FaceEmbeddings.cosine(a, b);
        assertTrue(same > other, "same face " + same + ", other face " + other);
    }

    private static float[] fuseOne(OrtSession fuse, float[] classRow, float[] idRow) throws Exception {
        try (OnnxTensor c = OnnxTensor.createTensor(env, FloatBuffer.wrap(classRow), new long[] {1, D});
                OnnxTensor e = OnnxTensor.createTensor(env, FloatBuffer.wrap(idRow), new long[] {1, D});
                OrtSession.Result r = fuse.run(Map.of("prompt_embeds", c, "id_embeds", e))) {
            return read(r, "fused_embeds");
        }
    }

    private static float[] read(OrtSession.Result r, String name) {
        FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }
}
