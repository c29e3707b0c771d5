package io.photomaker.gateway.submit;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.image.ImageHeader;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.JobRequestValidator;
import io.photomaker.common.job.RequestViolation;
import io.photomaker.common.json.Json;
import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.GatewayConfig;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.http.Responses;
import io.photomaker.gateway.identity.JobIdentities;
import io.photomaker.gateway.jobs.EventSender;
import io.photomaker.gateway.jobs.JobJson;
import io.photomaker.gateway.jobs.JobLookup;
import io.photomaker.gateway.jobs.JobWatcher;
import io.photomaker.gateway.jobs.JobsHandler;
import io.photomaker.gateway.limits.ConcurrencyQuota;
import io.photomaker.gateway.limits.GatewayLimits;
import io.photomaker.gateway.limits.RateLimiter;
import io.photomaker.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private final RateLimiter rateLimiter;
    private final ConcurrencyQuota quota;
    private final SubmissionReader reader;
    private final ImageVerifier verifier;
    private final WorkerExecutor decoders;
    private final IdempotencyStore idempotency;
    private final JobSubmitter submitter;
    private final EventSender events;
    private final JobLookup lookup;
    private final JobWatcher watcher;
    private final JobsHandler jobs;
    private final JobIdentities identities;
    private final GatewayMetrics metrics;

    /** @param limits the process's shared rate limits and budgets (the submission rate is per tenant there) */
    public SubmitHandler(GatewayConfig config, GatewayLimits limits, ConcurrencyQuota quota,
                         WorkerExecutor decoders, IdempotencyStore idempotency, JobSubmitter submitter,
                         EventSender events, JobLookup lookup, JobWatcher watcher, JobsHandler jobs,
                         JobIdentities identities, GatewayMetrics metrics) {
        this.config = config;
        this.rateLimiter = limits.submissions();
        this.quota = quota;
        this.reader = new SubmissionReader(config.maxBodyBytes(), config.maxImageBytes(), config.maxImages(), decoders,
                limits.bodies(), limits.config().bodyTimeout());
        this.verifier = new ImageVerifier(config.maxImageBytes(), config.maxImagePixels(), limits.decodes(),
                limits.config().decodeWait());
        this.decoders = decoders;
        this.idempotency = idempotency;
        this.submitter = submitter;
        this.events = events;
        this.lookup = lookup;
        this.watcher = watcher;
        this.jobs = jobs;
        this.identities = identities;
        this.metrics = metrics;
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
        long retry = rateLimiter.tryAcquire(tenant);
        if (retry > 0) {
            throw ApiError.retryAfter(ErrorType.RATE_LIMITED, "tenant " + tenant + " may submit " + config.rateLimitPerMinute()
                    + " jobs per minute", (int) retry);
        }
        if (!events.available()) {
            throw EventSender.unavailable();
        }
        String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
        if (key != null) {
            IdempotencyStore.validateKey(key);
        }
        ConcurrencyQuota.Reservation slot = quota.tryReserve(tenant);
        if (slot == null) {
            throw ApiError.retryAfter(ErrorType.QUOTA_EXCEEDED, "tenant " + tenant + " already has " + quota.max()
                    + " unfinished jobs; wait for one to finish", 5);
        }
        if (key != null && !idempotency.begin(tenant, key)) {
            slot.release();
            throw new ApiError(ErrorType.IDEMPOTENCY_KEY_IN_USE, "a request with this Idempotency-Key is still being "
                    + "processed", IDEMPOTENCY_KEY, 1);
        }
        reader.read(ctx)
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
                        answer(ctx, ar.result());
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
            infos.add(verifier.inspect(img));
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

    /** Decodes every photo once and hashes it, on the decoder pool: both take milliseconds per megapixel. */
    private Future<Valid> decodeImages(Inspected in) {
        return decoders.executeBlocking(() -> {
            List<CheckedImage> checked = new ArrayList<>();
            for (int i = 0; i < in.images().size(); i++) {
                checked.add(verifier.decode(in.images().get(i), in.infos().get(i)));
            }
            return new Valid(in.raw(), in.request(), checked);
        }, false);
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
            metrics.jobSubmitted();
            Outcome out = new Outcome(acc.jobId(), acc.createdAt(), false);
            if (key == null) {
                return Future.succeededFuture(out);
            }
            // The job exists whatever happens to the mapping; a failed write only weakens a later retry.
            return idempotency.remember(tenant, key, new IdempotencyStore.Entry(acc.jobId(), fingerprint,
                    acc.createdAt())).map(x -> out).otherwise(out);
        });
    }

    /** The job a submission resolved to. */
    private record Outcome(String jobId, long createdAt, boolean replayed) {
    }

    private void answer(RoutingContext ctx, Outcome out) {
        Duration wait = PreferWait.parse(ctx.request().headers().getAll("Prefer"), config.maxPreferWait());
        ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/jobs/" + out.jobId());
        if (out.replayed()) {
            ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        if (wait.isZero() && !out.replayed()) {
            respond(ctx, out, null);
            return;
        }
        if (wait.isZero()) {
            // A replay answers with the job as it is now, which may have finished.
            lookup.find(ctx.get("tenant"), out.jobId())
                    .onComplete(ar -> respond(ctx, out, ar.succeeded() ? ar.result() : null));
            return;
        }
        ctx.response().putHeader("Preference-Applied", "wait=" + wait.toSeconds());
        watcher.terminal(out.jobId(), wait).onComplete(ar -> respond(ctx, out, ar.succeeded() ? ar.result() : null));
    }

    private void respond(RoutingContext ctx, Outcome out, JobRecord r) {
        if (r != null && r.status().isTerminal()) {
            Responses.json(ctx, 200, jobs.render(r));
            return;
        }
        Map<String, Object> body = JobJson.accepted(out.jobId(), out.createdAt());
        if (r != null) {
            body.put("status", r.status().wireName());
        }
        Responses.json(ctx, 202, body);
    }
}
