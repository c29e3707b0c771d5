package io.photomaker.worker.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.job.JobRequest;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.pipeline.GeneratedImage;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity similarity of pictures to ID photos with the tiny face models (V1 set carrying them). */
class IdentityScorerTest {

    @TempDir
    static Path dir;
    @TempDir
    static Path plainDir;
    static PhotoMakerPipeline pipeline;

    @BeforeAll
    static void load() throws Exception {
        TinyModelBuilder.create().faceModels(true).build(dir);
        pipeline = PhotoMakerPipeline.load(dir, ExecutionConfig.cpu(1));
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    private static JobRequest request(Double min) {
        return new JobRequest("a woman img", null, null, 2, null, null, null, 1L, 64, 64, 1, null, null, null, null, null, null,
                null, null, min, min == null ? null : 1, null, null).withDefaults(1);
    }

    private static GeneratedImage picture(byte[] png) {
        try {
            return GeneratedImage.of(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)), 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void an_output_showing_the_id_photo_scores_one_another_face_less_and_no_face_null() {
        var photos = pipeline.encodeIdPhotos(List.of(SamplePortraits.draw(3, 200, 250)));
        IdentityScorer scorer = IdentityScorer.of(pipeline, photos.faceEmbeddings(), request(null));
        assertEquals(1.0, scorer.similarity(picture(SamplePortraits.png(3, 200, 250))), 1e-5);
        double other = scorer.similarity(picture(SamplePortraits.png(4, 200, 250)));
        assertTrue(other < 0.999, "another face: " + other);
        assertNull(scorer.similarity(picture(SamplePortraits.pngWithoutFace(5, 200, 250))));
    }

    @Test
    void a_v1_set_without_face_models_scores_nothing_and_refuses_a_minimum() throws Exception {
        TinyModelBuilder.create().build(plainDir);
        try (PhotoMakerPipeline plain = PhotoMakerPipeline.load(plainDir, ExecutionConfig.cpu(1))) {
            assertNull(IdentityScorer.of(plain, List.of(), request(null)).similarity(picture(SamplePortraits.png(3, 200, 250))));
            JobFailedException e = assertThrows(JobFailedException.class, () -> IdentityScorer.of(plain, List.of(), request(0.5)));
            assertEquals("identity_check_unavailable", e.failure().type());
        }
    }
}
