package io.photomaker.gateway.identity;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.image.ImageHeader;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.GatewayConfig;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.http.Responses;
import io.photomaker.gateway.jobs.EventSender;
import io.photomaker.gateway.limits.GatewayLimits;
import io.photomaker.gateway.limits.RateLimiter;
import io.photomaker.gateway.submit.CheckedImage;
import io.photomaker.gateway.submit.ImageVerifier;
import io.photomaker.gateway.submit.Submission;
import io.photomaker.gateway.submit.SubmissionReader;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /v1/identities: 1..8 ID photos (multipart {@code images} with an optional {@code request} part, or JSON
 * with data-URIs) checked exactly like a job's photos, stored under the new identity, its pending record
 * written next to them and put on its model's identity queue ({@code photomaker.identity-requests} for
 * photomaker-v1) for a worker of that model to encode. Answers 202 once the request is durable; on any failure
 * everything stored for the identity is deleted again. An identity costs GPU time like a job: it takes a token
 * from the tenant's submission rate, and the tenant's stored identities are capped ({@link IdentityQuota}).
 */
public final class CreateIdentityHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(CreateIdentityHandler.class);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final ObjectStore store;
    private final EventSender events;
    private final IdentityRecords records;
    private final IdentityQuota quota;
    private final RateLimiter rateLimiter;
    private final SubmissionReader reader;
    private final ImageVerifier verifier;
    private final WorkerExecutor decoders;

    /**
     * @param limits the process's shared limits: an identity takes a token from the tenant's submission rate
     * @param quota the tenant's cap on stored identities
     */
    public CreateIdentityHandler(Vertx vertx, GatewayConfig config, ObjectStore store, EventSender events,
                                 WorkerExecutor decoders, GatewayLimits limits, IdentityQuota quota) {
        this.vertx = vertx;
        this.config = config;
        this.store = store;
        this.events = events;
        this.records = new IdentityRecords(vertx, store);
        this.quota = quota;
        this.rateLimiter = limits.submissions();
        this.reader = new SubmissionReader(config.maxBodyBytes(), config.maxImageBytes(), config.maxImages(), decoders,
                false, limits.bodies(), limits.config().bodyTimeout());
        this.verifier = new ImageVerifier(config.maxImageBytes(), config.maxImagePixels(), limits.decodes(),
                limits.config().decodeWait());
        this.decoders = decoders;
    }

    /** A request whose options and photo headers passed. */
    private record Inspected(IdentityRequest request, Submission submission, List<ImageHeader> headers) {
    }

    @Override
    public void handle(RoutingContext ctx) {
        String tenant = ctx.get("tenant");
        long retry = rateLimiter.tryAcquire(tenant);
        if (retry > 0) {
            throw ApiError.retryAfter(ErrorType.RATE_LIMITED, "tenant " + tenant + " may submit " + config.rateLimitPerMinute()
                    + " jobs and identities per minute", (int) retry);
        }
        if (!events.available()) {
            throw EventSender.unavailable();
        }
        reader.read(ctx)
                .map(this::inspect)
                .compose(in -> quota.reserve(tenant).compose(place -> decode(in)
                        .compose(checked -> create(tenant, checked, place))
                        .onFailure(e -> place.giveBack())))
                .onSuccess(record -> {
                    ctx.response().putHeader(HttpHeaders.LOCATION, IdentityJson.path(record.id()));
                    Responses.json(ctx, 202, IdentityJson.render(record));
                })
                .onFailure(ctx::fail);
    }

    private Inspected inspect(Submission s) {
        IdentityRequest request = IdentityRequest.parse(s.request());
        config.models().resolve(request.model());
        if (s.images().isEmpty()) {
            throw new ApiError(ErrorType.NO_ID_IMAGES, "an identity needs 1.." + config.maxImages()
                    + " ID photos of the person in 'images'", SubmissionReader.IMAGES_PART);
        }
        List<ImageHeader> headers = new ArrayList<>();
        for (var img : s.images()) {
            headers.add(verifier.inspect(img));
        }
        return new Inspected(request, s, headers);
    }

    /** One full decode per photo, off the event loop (milliseconds per megapixel). */
    private Future<Checked> decode(Inspected in) {
        return decoders.executeBlocking(() -> {
            List<CheckedImage> images = new ArrayList<>();
            for (int i = 0; i < in.submission().images().size(); i++) {
                images.add(verifier.decode(in.submission().images().get(i), in.headers().get(i)));
            }
            return new Checked(in.request(), images);
        }, false);
    }

    /** Photos that passed every check. */
    private record Checked(IdentityRequest request, List<CheckedImage> images) {
    }

    private Future<IdentityRecord> create(String tenant, Checked in, IdentityQuota.Place place) {
        String id = JobIds.newIdentityId();
        long now = JobIds.createdAt(id);
        List<String> keys = new ArrayList<>();
        List<Future<Void>> puts = new ArrayList<>();
        var context = vertx.getOrCreateContext();
        for (int i = 0; i < in.images().size(); i++) {
            CheckedImage img = in.images().get(i);
            String key = ObjectKeys.identityPhoto(id, i, img.format().extension());
            keys.add(key);
            puts.add(Future.fromCompletionStage(store.put(key, img.bytes(), img.format().mediaType()), context));
        }
        String model = config.models().resolve(in.request().model());
        IdentityRecord record = new IdentityRecord(id, tenant, in.request().name(), IdentityRecord.PENDING, keys,
                in.request().keepPhotos(), 0, null, now, now, model, config.inputLimits(), 0);
        return Future.join(puts)
                .compose(v -> place.write(id))
                .recover(e -> Future.failedFuture(ApiError.retryAfter(ErrorType.STORAGE_UNAVAILABLE,
                        "the photo store is not reachable right now; nothing was kept, try again", 5)))
                .compose(v -> records.save(record))
                .compose(v -> events.send(Topics.identityRequestsFor(model), id, Json.bytes(record)))
                .map(md -> record)
                .recover(e -> removeAll(tenant, id).transform(x -> Future.failedFuture(e)));
    }

    /** Deletes whatever was stored for a refused identity; a failure is logged (retention cannot find it later). */
    private Future<Integer> removeAll(String tenant, String id) {
        return records.deleteAll(id).compose(n -> quota.forget(tenant, id).map(n)).onFailure(e -> LOG.warn("could not delete the photos of refused identity {}"
                + " under {}: {}", id, ObjectKeys.identityPrefix(id), e.getMessage()));
    }
}
