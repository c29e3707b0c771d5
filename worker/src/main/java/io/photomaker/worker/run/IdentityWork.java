package io.photomaker.worker.run;

import io.photomaker.common.image.ImageDecoder;
import io.photomaker.common.image.ImageRejected;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.worker.pipeline.IdPhotos;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.pipeline.PipelineException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a stored identity's embeddings once: reads its photos, encodes them (ID embeddings, and with face
 * models the photos' face embeddings; photomaker-v2 leaves out photos without a face and fails the identity
 * with {@code no_face_detected} when none has one), saves them, deletes the photos unless the owner asked to
 * keep them, and marks the identity ready (or failed with a reason). Running it twice gives the same result.
 */
public final class IdentityWork {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityWork.class);

    private final PhotoMakerPipeline pipeline;
    private final ObjectStore store;
    private final IdentityStore identities;

    public IdentityWork(PhotoMakerPipeline pipeline, ObjectStore store) {
        this.pipeline = pipeline;
        this.store = store;
        this.identities = new IdentityStore(store);
    }

    /** Processes one request; returns false when the outcome could not be stored (retry later). */
    public boolean run(IdentityRecord request) {
        IdentityRecord current;
        try {
            current = identities.record(request.id());
        } catch (JobFailedException e) {
            if (e.failure().retryable()) {
                return false;
            }
            LOG.info("identity {} was deleted before its embeddings were computed", request.id());
            return true;
        }
        if (!IdentityRecord.PENDING.equals(current.status())) {
            return true;
        }
        try {
            List<BufferedImage> photos = new ArrayList<>();
            for (int i = 0; i < current.photoKeys().size(); i++) {
                byte[] bytes = store.get(current.photoKeys().get(i)).join();
                try {
                    photos.add(ImageDecoder.decode(bytes, PhotoMakerJobHandler.MAX_PIXELS));
                } catch (ImageRejected e) {
                    throw new JobFailedException(JobFailure.permanent(e.type(), "photo " + (i + 1) + ": "
                            + e.getMessage()), e);
                }
            }
            IdPhotos encoded = pipeline.encodeIdPhotos(photos);
            List<float[]> embeddings = encoded.idEmbeddings();
            identities.saveEmbeddings(current.id(),
                    new IdentityStore.Embeddings(embeddings, encoded.faceEmbeddings()));
            List<String> remaining = current.photoKeys();
            if (!current.keepPhotos()) {
                for (String k : current.photoKeys()) {
                    store.deletePrefix(k).join();
                }
                remaining = List.of();
            }
            identities.saveRecord(current.ready(embeddings.size(), remaining, System.currentTimeMillis()));
            LOG.info("identity {} ready with {} ID embeddings{}", current.id(), embeddings.size(),
                    encoded.withoutFace().isEmpty() ? "" : " (no face in photo " + encoded.withoutFaceNumbers() + ")");
            return true;
        } catch (JobFailedException e) {
            return markFailed(current, e.failure());
        } catch (PipelineException e) {
            return e.retryable() ? false
                    : markFailed(current, JobFailure.permanent(e.type(), e.getMessage()));
        } catch (CompletionException e) {
            LOG.warn("identity {}: storage unavailable ({}), will retry", current.id(), e.getMessage());
            return false;
        }
    }

    private boolean markFailed(IdentityRecord current, JobFailure failure) {
        if (failure.retryable()) {
            return false;
        }
        identities.saveRecord(current.failed(failure, System.currentTimeMillis()));
        LOG.info("identity {} failed: {}", current.id(), failure.message());
        return true;
    }
}
