package io.photomaker.gateway.submit;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.image.ImageHeader;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.JobRequestValidator;
import io.photomaker.common.job.RequestViolation;
import io.photomaker.common.json.Json;
import io.photomaker.gateway.config.GatewayConfig;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.identity.JobIdentities;
import io.photomaker.gateway.limits.ConcurrencyQuota;
import io.photomaker.gateway.submit.SubmissionAnswer.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * POST /v1/jobs. Order of work: rate limit and quota (cheap, before the body is read), body within
 * limits, request fields and trigger word, photo headers (size, pixel count, type) and then one full
 * decode per photo off the event loop, Idempotency-Key, and finally {@link JobSubmitter}. Answers 202
 * once the job is durable, or 200 with the finished job when {@code Prefer: wait=N} saw it finish.
 */
public final class SubmitHandler implements Handler<RoutingContext> {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final GatewayConfig config;
    private final Admission admission;
    private final PhotoIntake intake;
    private final IdempotencyStore idempotency;
    private final JobSubmitter submitter;
    private final JobIdentities identities;
    private final SubmissionAnswer answer;

    /**
     * @param admission the rate, backend and quota checks made before the body is read
     * @param intake reads the body and checks and decodes its photos
     * @param identities the stored identities a job may name
     * @param answer answers once the job is accepted (at once, or when it ends within {@code Prefer: wait})
     */
    public SubmitHandler(GatewayConfig config, Admission admission, PhotoIntake intake, IdempotencyStore idempotency,
                         JobSubmitter submitter, JobIdentities identities, SubmissionAnswer answer) {
        this.config = config;
        this.admission = admission;
        this.intake = intake;
        this.idempotency = idempotency;
        this.submitter = submitter;
        this.identities = identities;
        this.answer = answer;
    }

    /** A request whose fields and photo headers passed; the photos still need decoding. */
    private record Inspected(JobRequest raw, JobRequest request, List<UploadedImage> images,
                             List<ImageHeader> infos) {
    }

    /** A request that passed every check and is ready to submit. */
    private record Valid(JobRequest raw, JobRequest request, List<CheckedImage> images) {
        /** What makes two submissions "the same request": every client-given field and every photo's digest. */
        String fingerprint() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(Json.bytes(raw));
            for (CheckedImage img : images) {
                out.writeBytes(img.sha256().getBytes(StandardCharsets.US_ASCII));
            }
            return ImageVerifier.sha256(out.toByteArray());
        }
    }

    @Override
    public void handle(RoutingContext ctx) {
        String tenant = ctx.get("tenant");
        admission.checkRate(tenant);
        String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
        if (key != null) {
            IdempotencyStore.validateKey(key);
        }
        ConcurrencyQuota.Reservation slot = admission.reserve(tenant);
        if (key != null && !idempotency.begin(tenant, key)) {
            slot.release();
            throw new ApiError(ErrorType.IDEMPOTENCY_KEY_IN_USE, "a request with this Idempotency-Key is still being "
                    + "processed", IDEMPOTENCY_KEY, 1);
        }
        intake.read(ctx)
                .map(this::validate)
                .compose(in -> checkIdentities(tenant, in))
                .compose(this::decodeImages)
                .compose(valid -> key == null ? create(tenant, valid, slot, null, null)
                        : createOnce(tenant, key, valid, slot))
                .onComplete(ar -> {
                    if (key != null) {
                        idempotency.end(tenant, key);
                    }
                    if (ar.failed()) {
                        slot.release();
                        ctx.fail(ar.cause());
                    } else {
                        answer.answer(ctx, ar.result());
                    }
                });
    }

    private Inspected validate(Submission s) {
        // JSON bodies arrive with their images already taken out; an "images" field left here is unknown.
        JobRequest raw = RequestParser.parse(s.request(), java.util.Set.of());
        JobRequest request = raw.withDefaults(ThreadLocalRandom.current().nextLong(0, 1L << 32));
        request = request.withModel(config.models().resolve(request.model()));
        List<RequestViolation> problems = JobRequestValidator.violations(request);
        if (!problems.isEmpty()) {
            RequestViolation first = problems.get(0);
            String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : "";
            throw new ApiError(first.error(), first.message() + more, first.field());
        }
        // Until the identities are read, an identity of weight 0 counts as one embedding: never more than it adds.
        int atLeast = s.images().size() + request.identityIds().stream()
                .mapToInt(ref -> ref.weight() == 0 ? 1 : ref.weight()).sum();
        PromptChecks.check(request, atLeast);
        if (atLeast == 0) {
            throw new ApiError(ErrorType.NO_ID_IMAGES, "a job needs 1.." + config.maxImages()
                    + " ID photos in 'images' (or stored identities in 'identity_ids')", SubmissionReader.IMAGES_PART);
        }
        checkStackSize(atLeast);
        List<ImageHeader> infos = new ArrayList<>();
        for (UploadedImage img : s.images()) {
            infos.add(intake.inspect(img));
        }
        return new Inspected(raw, request, s.images(), infos);
    }

    /** Checks the stored identities the job names and the prompt against the exact number of stacked embeddings. */
    private Future<Inspected> checkIdentities(String tenant, Inspected in) {
        if (in.request().identityIds().isEmpty()) {
            return Future.succeededFuture(in);
        }
        return identities.embeddings(tenant, in.request().identityIds(), in.request().model()).map(stored -> {
            int total = in.images().size() + stored;
            checkStackSize(total);
            PromptChecks.check(in.request(), total);
            return in;
        });
    }

    private void checkStackSize(int embeddings) {
        if (embeddings > config.maxImages()) {
            throw new ApiError(ErrorType.TOO_MANY_IMAGES, "a job stacks at most " + config.maxImages()
                    + " ID embeddings (photos plus identity weights), got " + embeddings, SubmissionReader.IMAGES_PART);
        }
    }

    private Future<Valid> decodeImages(Inspected in) {
        return intake.decode(in.images(), in.infos()).map(checked -> new Valid(in.raw(), in.request(), checked));
    }

    private Future<Outcome> createOnce(String tenant, String key, Valid v, ConcurrencyQuota.Reservation slot) {
        String fingerprint = v.fingerprint();
        return idempotency.find(tenant, key).compose(found -> {
            if (found.isEmpty()) {
                return create(tenant, v, slot, key, fingerprint);
            }
            IdempotencyStore.Entry e = found.get();
            if (!e.fingerprint().equals(fingerprint)) {
                return Future.failedFuture(new ApiError(ErrorType.IDEMPOTENCY_CONFLICT, "this Idempotency-Key was used"
                        + " for a different request; use a new key for a new job", IDEMPOTENCY_KEY));
            }
            slot.release();
            return Future.succeededFuture(new Outcome(e.jobId(), e.createdAt(), true));
        });
    }

    /** Submits the job; with an Idempotency-Key, also remembers {@code fingerprint} under it. */
    private Future<Outcome> create(String tenant, Valid v, ConcurrencyQuota.Reservation slot, String key,
                                   String fingerprint) {
        return submitter.submit(tenant, v.request(), v.images()).compose(acc -> {
            slot.commit(acc.jobId(), acc.announced().partition(), acc.announced().offset());
            Outcome out = new Outcome(acc.jobId(), acc.createdAt(), false);
            if (key == null) {
                return Future.succeededFuture(out);
            }
            // The job exists whatever happens to the mapping; a failed write only weakens a later retry.
            return idempotency.remember(tenant, key, new IdempotencyStore.Entry(acc.jobId(), fingerprint,
                    acc.createdAt())).map(x -> out).otherwise(out);
        });
    }
}
