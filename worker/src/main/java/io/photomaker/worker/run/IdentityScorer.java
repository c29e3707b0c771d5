package io.photomaker.worker.run;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobRequest;
import io.photomaker.worker.pipeline.GeneratedImage;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.pipeline.face.FaceAnalyzer;
import io.photomaker.worker.pipeline.face.FaceEmbeddings;
import io.photomaker.worker.pipeline.face.RgbRaster;
import java.util.List;

/**
 * Scores a job's outputs against its ID photos: the face in each output (highest score, after the detector's
 * size retries) is embedded with ArcFace and compared by cosine similarity with the reference face, the mean of
 * the ID photos' normalised face embeddings. Without face models, or without any face among the ID photos, every
 * similarity is null and nothing is regenerated; a job that asks for min_identity_similarity on models without
 * face detection fails at once ({@code identity_check_unavailable}).
 */
final class IdentityScorer {
    private final FaceAnalyzer faces;
    private final float[] reference;
    private final Double min;
    private final int budget;
    private final long firstSpareSeed;

    private IdentityScorer(FaceAnalyzer faces, float[] reference, JobRequest request) {
        this.faces = faces;
        this.reference = reference;
        this.min = request.minIdentitySimilarity();
        this.budget = reference == null ? 0 : request.regenerationBudget();
        this.firstSpareSeed = request.seed() + request.numOutputs();
    }

    /** The scorer of a job whose ID photos and identities gave {@code faceEmbeddings}. */
    static IdentityScorer of(PhotoMakerPipeline pipeline, List<float[]> faceEmbeddings, JobRequest request) {
        FaceAnalyzer faces = pipeline.faces().orElse(null);
        if (faces == null && request.minIdentitySimilarity() != null) {
            throw new JobFailedException(JobFailure.of(ErrorType.IDENTITY_CHECK_UNAVAILABLE, "min_identity_similarity "
                    + "needs face models, and the " + pipeline.manifest().servedModel()
                    + " workers here have none"), null);
        }
        float[] reference = faces == null || faceEmbeddings.isEmpty() ? null
                : FaceEmbeddings.meanOfNormalised(faceEmbeddings);
        return new IdentityScorer(faces, reference, request);
    }

    /** Whether outputs are checked at all (the models include face models). */
    boolean active() {
        return faces != null;
    }

    /** The outputs scored, with those below the job's minimum regenerated within its budget. */
    List<OutputIdentityCheck.Checked> check(List<GeneratedImage> outputs, OutputIdentityCheck.Generator generator) {
        return OutputIdentityCheck.run(outputs, min, budget, firstSpareSeed, generator, this::similarity);
    }

    /** The similarity of an image's face to the reference, or null without a face or a reference. */
    Double similarity(GeneratedImage image) {
        if (faces == null || reference == null) {
            return null;
        }
        RgbRaster picture = RgbRaster.of(image.image());
        return faces.firstFace(picture).map(f -> FaceEmbeddings.cosine(f.embedding(), reference)).orElse(null);
    }
}
