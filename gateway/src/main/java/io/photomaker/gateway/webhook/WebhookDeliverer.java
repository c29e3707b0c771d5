package io.photomaker.gateway.webhook;

import io.micrometer.core.instrument.Counter;
import io.photomaker.common.logging.JobLogContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.MultiMap;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one try of one delivery: skips jobs whose receiver answered 410, checks the target address,
 * signs and posts, classifies the answer (2xx delivered; 410 disables; 429 waits for Retry-After;
 * anything else, redirects included, is retried with backoff until the attempt cap), and writes the
 * try to the delivery log. It decides the next try but does not schedule it; the dispatcher does.
 */
final class WebhookDeliverer {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliverer.class);
    private static final long MAX_RETRY_AFTER_MS = Duration.ofDays(1).toMillis();

    /** The try as logged, and the next try when one is due. */
    record Result(DeliveryOutcome outcome, WebhookDelivery logged, WebhookDelivery next) {
    }

    private final WebhookSender sender;
    private final WebhookSigner signer;
    private final AddressGuard guard;
    private final DeliveryLog log;
    private final WebhookBackoff backoff;
    private final int maxAttempts;
    private final Executor resolverPool;
    private final Duration dnsTimeout;
    private final LongSupplier clock;
    private final Map<DeliveryOutcome, Counter> counters = new EnumMap<>(DeliveryOutcome.class);

    WebhookDeliverer(WebhookSender sender, WebhookSigner signer, AddressGuard guard, DeliveryLog log,
                     WebhookBackoff backoff, int maxAttempts, Executor resolverPool, Duration dnsTimeout,
                     MeterRegistry registry) {
        this.dnsTimeout = dnsTimeout;
        this.sender = sender;
        this.signer = signer;
        this.guard = guard;
        this.log = log;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.resolverPool = resolverPool;
        this.clock = System::currentTimeMillis;
        for (DeliveryOutcome o : DeliveryOutcome.values()) {
            counters.put(o, Counter.builder("photomaker.webhook.deliveries")
                    .description("Webhook delivery tries by outcome").tag("outcome", o.metricLabel())
                    .register(registry));
        }
    }

    CompletableFuture<Result> attempt(WebhookDelivery d) {
        long now = clock.getAsLong();
        CompletableFuture<Boolean> disabled = d.manual() ? CompletableFuture.completedFuture(false)
                : log.isDisabled(d.jobId()).exceptionally(e -> {
                    try (JobLogContext l = JobLogContext.open(d.jobId(), d.tenant())) {
                        LOG.warn("cannot tell whether webhooks of {} are disabled: {}", d.jobId(), e.toString());
                    }
                    return false;
                });
        return disabled.thenCompose(off -> off
                ? conclude(d, now, 0, DeliveryOutcome.SKIPPED, "webhooks of this job are disabled (410 Gone)", 0)
                : send(d, now));
    }

    private CompletableFuture<Result> send(WebhookDelivery d, long now) {
        URI uri;
        try {
            uri = URI.create(d.url());
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
        } catch (RuntimeException e) {
            return conclude(d, now, 0, DeliveryOutcome.REFUSED, "the webhook URL is not an http(s) URL with a host",
                    0);
        }
        String body = d.payload();
        long timestamp = now / 1000;
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("content-type", "application/json")
                .add("user-agent", "PhotoMaker-Webhooks/1")
                .add("webhook-id", d.id())
                .add("webhook-timestamp", Long.toString(timestamp));
        headers.add("webhook-signature", signer.sign(d.tenant(), d.id(), timestamp, body));
        return resolveInTime(uri.getHost())
                .thenCompose(address -> sender.post(uri, address, headers, body))
                .handle((resp, failure) -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof RefusedAddress r) {
                        return conclude(d, now, 0, DeliveryOutcome.REFUSED, r.getMessage(), 0);
                    }
                    if (cause != null) {
                        return failed(d, now, 0, TransportErrors.describe(cause), null);
                    }
                    return answered(d, now, resp);
                })
                .thenCompose(f -> f);
    }

    /**
     * Resolves on the resolver pool, giving up after the DNS timeout: a resolver that never answers costs one
     * try of one delivery, not a pool thread per waiting delivery of every tenant.
     */
    private CompletableFuture<InetAddress> resolveInTime(String host) {
        CompletableFuture<InetAddress> resolved;
        try {
            resolved = CompletableFuture.supplyAsync(() -> resolve(host), resolverPool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new TransportErrors.ResolverBusy());
        }
        return resolved.orTimeout(dnsTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private InetAddress resolve(String host) {
        try {
            return guard.check(host);
        } catch (AddressGuard.RefusedException e) {
            throw new RefusedAddress(e.getMessage());
        }
    }

    private CompletableFuture<Result> answered(WebhookDelivery d, long now, WebhookSender.Response resp) {
        int status = resp.status();
        if (status >= 200 && status < 300) {
            return conclude(d, now, status, DeliveryOutcome.DELIVERED, null, 0);
        }
        if (status == 410) {
            return log.disable(d.jobId()).exceptionally(e -> {
                try (JobLogContext l = JobLogContext.open(d.jobId(), d.tenant())) {
                    LOG.warn("cannot record that webhooks of {} are disabled: {}", d.jobId(), e.toString());
                }
                return null;
            }).thenCompose(v -> conclude(d, now, status, DeliveryOutcome.DISABLED, "receiver answered 410 Gone", 0));
        }
        Long wait = status == 429 ? retryAfterMillis(resp.retryAfter(), now) : null;
        String why = status >= 300 && status < 400 ? "receiver answered a redirect (" + status + "), not followed"
                : "receiver answered " + status;
        return failed(d, now, status, why, wait);
    }

    private CompletableFuture<Result> failed(WebhookDelivery d, long now, int status, String why, Long wait) {
        if (d.attempt() >= maxAttempts) {
            return conclude(d, now, status, DeliveryOutcome.EXHAUSTED, why + "; no tries left", 0);
        }
        long delay = wait != null ? wait : backoff.delayMillis(d.attempt());
        return conclude(d, now, status, DeliveryOutcome.RETRY, why, now + delay);
    }

    private CompletableFuture<Result> conclude(WebhookDelivery d, long now, int status, DeliveryOutcome outcome,
                                               String error, long nextAt) {
        WebhookAttempt tried = new WebhookAttempt(d.attempts().size() + 1, now, status, outcome.wireName(), error,
                nextAt);
        WebhookDelivery logged = d.logged(tried);
        counters.get(outcome).increment();
        if (outcome != DeliveryOutcome.DELIVERED) {
            try (JobLogContext l = JobLogContext.open(d.jobId(), d.tenant())) {
                LOG.info("webhook {} try {}: {} ({})", d.id(), tried.number(), outcome.wireName(), error);
            }
        }
        WebhookDelivery next = outcome == DeliveryOutcome.RETRY ? logged.retryAt(nextAt) : null;
        return log.write(logged).exceptionally(e -> {
            try (JobLogContext l = JobLogContext.open(d.jobId(), d.tenant())) {
                LOG.warn("cannot write the delivery log of {}: {}", d.id(), e.toString());
            }
            return null;
        }).thenApply(v -> new Result(outcome, logged, next));
    }

    /** Retry-After as delta seconds or an HTTP date; null when absent or unreadable. */
    static Long retryAfterMillis(String header, long now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.trim();
        try {
            return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Long.parseLong(v)) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /** Carries a refusal out of the resolver pool. */
    private static final class RefusedAddress extends RuntimeException {
        RefusedAddress(String message) {
            super(message, null, false, false);
        }
    }
}
