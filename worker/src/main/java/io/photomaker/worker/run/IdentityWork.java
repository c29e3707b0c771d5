package io.photomaker.worker.run;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.image.DecodeBudget;
import io.photomaker.common.image.ImageDecoder;
import io.photomaker.common.image.ImageRejected;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.InputLimits;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.KafkaHeaders;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.worker.pipeline.IdPhotos;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.pipeline.PipelineException;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a stored identity's embeddings once: reads its photos, encodes them (ID embeddings, and with face
 * models the photos' face embeddings; photomaker-v2 leaves out photos without a face and fails the identity
 * with {@code no_face_detected} when none has one), saves them, deletes the photos unless the owner asked to
 * keep them, and marks the identity ready (or failed with a reason, its photos deleted). Running it twice gives
 * the same result.
 *
 * <p>A DELETE always wins: every write of the record is conditional on the version read before the work began, so
 * an identity deleted while it is being encoded is not written back, and what the work stored meanwhile is
 * removed. Attempts are counted in the record before each start; past the attempt cap (PM_MAX_ATTEMPTS, as for
 * jobs) the request goes to the dead-letter topic and the identity fails. When the store cannot even be read, the
 * hand-backs are counted in memory towards the same cap.
 */
public final class IdentityWork {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityWork.class);
    private static final int REMEMBERED_IDENTITIES = 1024;

    private final Encoder encoder;
    private final ObjectStore store;
    private final IdentityStore identities;
    private final JobProducer deadLetters;
    private final int maxAttempts;
    private final Map<String, Integer> unreadable = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED_IDENTITIES;
        }
    };

    /**
     * @param deadLetters where requests that used up their attempts go ({@code photomaker.jobs.dlq})
     * @param maxAttempts attempts per identity, the first included
     */
    public IdentityWork(PhotoMakerPipeline pipeline, ObjectStore store, JobProducer deadLetters, int maxAttempts) {
        this(pipeline::encodeIdPhotos, store, deadLetters, maxAttempts);
    }

    /** Turns decoded photos into their embeddings (the pipeline's ID photo encoder). */
    @FunctionalInterface
    interface Encoder {
        IdPhotos encode(List<BufferedImage> photos);
    }

    IdentityWork(Encoder encoder, ObjectStore store, JobProducer deadLetters, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.encoder = encoder;
        this.store = store;
        this.identities = new IdentityStore(store);
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
    }

    /** Processes one request; returns false when it must be handed back (tried again later). */
    public boolean run(IdentityRecord request) {
        IdentityStore.Stored stored;
        IdentityStore.Stored started;
        try {
            stored = identities.stored(request.id());
            if (!IdentityRecord.PENDING.equals(stored.record().status())) {
                return true;
            }
            started = identities.replace(stored, stored.record().started(System.currentTimeMillis()));
        } catch (JobFailedException e) {
            if (e.failure().retryable()) {
                return unreadable(request, e.failure());
            }
            LOG.info("identity {} was deleted before its embeddings were computed", request.id());
            return true;
        } catch (CompletionException e) {
            return unreadable(request, JobFailure.of(ErrorType.STORAGE_UNAVAILABLE,
                    "the identity store was not reachable"));
        }
        if (started == null) {
            // Deleted or started elsewhere since it was read: the next pickup sees which.
            return false;
        }
        forget(request.id());
        if (started.record().attempts() > maxAttempts) {
            return exhausted(started, JobFailure.of(ErrorType.RETRIES_EXHAUSTED, "computing the identity"
                    + " was interrupted " + (started.record().attempts() - 1) + " times"));
        }
        return encode(started);
    }

    private boolean encode(IdentityStore.Stored started) {
        IdentityRecord current = started.record();
        try {
            IdPhotos encoded = encoder.encode(decode(current));
            List<float[]> embeddings = encoded.idEmbeddings();
            identities.saveEmbeddings(current.id(),
                    new IdentityStore.Embeddings(embeddings, encoded.faceEmbeddings()));
            List<String> remaining = current.photoKeys();
            if (!current.keepPhotos()) {
                deletePhotos(current);
                remaining = List.of();
            }
            if (identities.replace(started, current.ready(embeddings.size(), remaining, now())) == null) {
                return deletedMeanwhile(current);
            }
            LOG.info("identity {} ready with {} ID embeddings{}", current.id(), embeddings.size(),
                    encoded.withoutFace().isEmpty() ? "" : " (no face in photo " + encoded.withoutFaceNumbers() + ")");
            return true;
        } catch (JobFailedException e) {
            return e.failure().retryable() ? handBack(current, e.failure()) : fail(started, e.failure());
        } catch (PipelineException e) {
            JobFailure failure = JobFailure.of(e.errorType(), e.getMessage(), e.retryable());
            return e.retryable() ? handBack(current, failure) : fail(started, failure);
        } catch (DecodeBudget.Busy e) {
            return handBack(current, JobFailure.of(ErrorType.WORKER_BUSY, "the worker was decoding other photos"));
        } catch (CompletionException e) {
            return handBack(current, JobFailure.of(ErrorType.STORAGE_UNAVAILABLE,
                    "the identity store was not reachable"));
        }
    }

    /** The photos, each checked against the limits the gateway accepted them under. */
    private List<BufferedImage> decode(IdentityRecord current) {
        InputLimits limits = current.limits();
        List<BufferedImage> photos = new ArrayList<>();
        for (int i = 0; i < current.photoKeys().size(); i++) {
            byte[] bytes;
            try {
                bytes = store.get(current.photoKeys().get(i)).join();
            } catch (CompletionException e) {
                throw PhotoMakerJobHandler.storageFailure("read photo " + (i + 1), e);
            }
            if (bytes.length > limits.maxImageBytes()) {
                throw new JobFailedException(JobFailure.of(ErrorType.IMAGE_TOO_LARGE, "photo " + (i + 1) + " has "
                        + bytes.length + " bytes; at most " + limits.maxImageBytes() + " are accepted"), null);
            }
            try {
                photos.add(ImageDecoder.decode(bytes, limits.maxImagePixels()));
            } catch (ImageRejected e) {
                throw new JobFailedException(JobFailure.of(e.errorType(), "photo " + (i + 1) + ": "
                        + e.getMessage()), e);
            }
        }
        return photos;
    }

    /** Fails for good: the photos go at once (they are biometric data and no longer useful), then the record. */
    private boolean fail(IdentityStore.Stored started, JobFailure failure) {
        IdentityRecord current = started.record();
        deletePhotos(current);
        if (identities.replace(started, current.failed(failure, now())) == null) {
            return deletedMeanwhile(current);
        }
        LOG.info("identity {} failed: {}", current.id(), failure.type());
        return true;
    }

    private boolean exhausted(IdentityStore.Stored started, JobFailure failure) {
        deadLetter(started.record(), failure);
        LOG.error("identity {} dead-lettered after {} attempts", started.record().id(),
                started.record().attempts() - 1);
        return fail(started, failure);
    }

    /** The record could not be read or written: counted here, dead-lettered past the cap. */
    private boolean unreadable(IdentityRecord request, JobFailure failure) {
        int handBacks;
        synchronized (unreadable) {
            handBacks = unreadable.merge(request.id(), 1, Integer::sum);
        }
        if (handBacks < maxAttempts) {
            LOG.warn("identity {}: {}; will retry", request.id(), failure.type());
            return false;
        }
        deadLetter(request, failure);
        forget(request.id());
        LOG.error("identity {} dead-lettered after {} tries that could not reach its record", request.id(), handBacks);
        return true;
    }

    private boolean handBack(IdentityRecord current, JobFailure failure) {
        LOG.warn("identity {} attempt {}: {}; will retry", current.id(), current.attempts(), failure.type());
        return false;
    }

    private boolean deletedMeanwhile(IdentityRecord current) {
        identities.deleteAll(current.id());
        LOG.info("identity {} was deleted while it was encoded; what was stored for it is removed", current.id());
        return true;
    }

    private void deletePhotos(IdentityRecord current) {
        for (String key : current.photoKeys()) {
            store.delete(key).join();
        }
    }

    private void deadLetter(IdentityRecord record, JobFailure failure) {
        if (deadLetters == null) {
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.FAILURE, Json.bytes(failure));
        headers.add(KafkaHeaders.WORK, KafkaHeaders.WORK_IDENTITY.getBytes(StandardCharsets.UTF_8));
        try {
            deadLetters.send(new ProducerRecord<>(Topics.DLQ, null, record.id(), Json.bytes(record), headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the dead-letter topic did not take identity " + record.id(), e);
        }
    }

    private void forget(String identityId) {
        synchronized (unreadable) {
            unreadable.remove(identityId);
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
