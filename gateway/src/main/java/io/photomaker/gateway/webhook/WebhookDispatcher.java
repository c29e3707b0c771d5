package io.photomaker.gateway.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.state.LifecycleConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhooks in every gateway process: consumes {@code photomaker.webhooks} in the consumer group
 * {@value #GROUP} and starts each try as it arrives, without waiting for earlier ones, so a slow receiver never
 * holds up a poll. A partition's offset is committed up to its first try whose outcome is not settled yet:
 * delivered, given up, or the next try durably produced to {@code photomaker.webhooks.retry} (where the state
 * processor holds it until due). A crash therefore repeats a try (same webhook-id) but never loses one.
 *
 * <p>Load is bounded twice: at most {@link WebhookPolicy#maxInFlight()} tries run at once (the partitions are
 * paused beyond that), and one tenant has at most {@link WebhookPolicy#maxInFlightPerTenant()} of them; that
 * tenant's further deliveries go back to the retry topic for a second instead of taking a slot. A black-holed
 * receiver thus slows its own tenant's deliveries only.
 */
public final class WebhookDispatcher implements AutoCloseable {
    public static final String GROUP = "photomaker-webhooks";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 50;
    private static final long DEFER_MILLIS = 1000;
    private static final int RESOLVER_THREADS = 32;

    private final KafkaConsumer<String, byte[]> consumer;
    private final JobProducer producer;
    private final WebhookSender sender;
    private final WebhookDeliverer deliverer;
    private final ThreadPoolExecutor resolverPool;
    private final WebhookPolicy policy;
    private final Duration drainTimeout;
    private final Counter deferred;
    private final Thread thread;
    private final Map<TopicPartition, ArrayDeque<Pending>> pending = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> perTenant = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private boolean paused;

    /** One polled record and the future that settles its outcome. */
    private record Pending(long offset, CompletableFuture<Void> settled) {
    }

    private WebhookDispatcher(KafkaSettings kafka, Vertx vertx, ObjectStore store, LifecycleConfig cfg,
                              AddressGuard guard, MeterRegistry registry) {
        this.policy = cfg.webhook();
        this.consumer = new KafkaConsumer<>(consumerProperties(kafka));
        this.producer = new JobProducer(kafka, "photomaker-webhook-retries");
        this.sender = new WebhookSender(vertx, cfg.webhookTimeout());
        this.resolverPool = new ThreadPoolExecutor(RESOLVER_THREADS, RESOLVER_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(policy.maxInFlight()), r -> {
                    Thread t = new Thread(r, "webhook-resolver");
                    t.setDaemon(true);
                    return t;
                });
        resolverPool.allowCoreThreadTimeOut(true);
        if (policy.keys().ephemeral()) {
            LOG.warn("PM_WEBHOOK_SIGNING_KEY is not set: webhook secrets come from a random key drawn at start and"
                    + " change when this gateway restarts");
        }
        this.deliverer = new WebhookDeliverer(sender, new WebhookSigner(policy.keys()), guard, new DeliveryLog(store),
                new WebhookBackoff(cfg.webhookBackoff(), new Random()), cfg.webhookMaxAttempts(), resolverPool,
                policy.dnsTimeout(), registry);
        this.drainTimeout = cfg.webhookTimeout().plus(policy.dnsTimeout()).plusSeconds(5);
        this.deferred = Counter.builder("photomaker.webhook.deferred")
                .description("Deliveries postponed because their tenant had too many in progress").register(registry);
        Gauge.builder("photomaker.webhook.in_flight", inFlight, AtomicInteger::get)
                .description("Webhook tries in progress on this gateway").register(registry);
        this.thread = new Thread(this::run, "webhook-dispatcher");
        this.thread.setDaemon(true);
    }

    /** Starts delivering with the SSRF guard PM_WEBHOOK_ALLOW_PRIVATE asks for, counting into the global registry. */
    public static WebhookDispatcher start(Vertx vertx, KafkaSettings kafka, ObjectStore store, LifecycleConfig cfg) {
        return start(vertx, kafka, store, cfg, new AddressGuard(cfg.webhookAllowPrivate()), Metrics.globalRegistry);
    }

    /** Starts delivering with a given address guard and meter registry. */
    public static WebhookDispatcher start(Vertx vertx, KafkaSettings kafka, ObjectStore store, LifecycleConfig cfg,
                                          AddressGuard guard, MeterRegistry registry) {
        WebhookDispatcher d = new WebhookDispatcher(kafka, vertx, store, cfg, guard, registry);
        d.thread.start();
        return d;
    }

    private static Properties consumerProperties(KafkaSettings kafka) {
        Properties p = KafkaClients.groupConsumer(kafka, GROUP, "photomaker-webhook-dispatcher");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, BATCH);
        return p;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.WEBHOOKS), new Rebalance());
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    pending.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayDeque<>())
                            .add(new Pending(r.offset(), handle(r)));
                }
                commitSettled(pending.keySet());
                applyBackpressure();
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("webhook dispatcher woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("webhook dispatcher stopped: {}", e.toString(), e);
        } finally {
            drain();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private CompletableFuture<Void> handle(ConsumerRecord<String, byte[]> r) {
        WebhookDelivery d;
        try {
            d = Json.read(r.value(), WebhookDelivery.class);
        } catch (RuntimeException e) {
            LOG.warn("dropping an unreadable webhook delivery {}: {}", r.key(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        AtomicInteger tenantCount = perTenant.computeIfAbsent(String.valueOf(d.tenant()), t -> new AtomicInteger());
        if (tenantCount.incrementAndGet() > policy.maxInFlightPerTenant()) {
            tenantCount.decrementAndGet();
            deferred.increment();
            return toRetryTopic(d.deferredTo(System.currentTimeMillis() + DEFER_MILLIS));
        }
        inFlight.incrementAndGet();
        CompletableFuture<Void> tried;
        try {
            tried = deliverer.attempt(d).thenCompose(result -> result.next() == null
                    ? CompletableFuture.completedFuture(null) : toRetryTopic(result.next()));
        } catch (RuntimeException e) {
            tried = CompletableFuture.failedFuture(e);
        }
        return tried.whenComplete((v, e) -> {
            tenantCount.decrementAndGet();
            inFlight.decrementAndGet();
        });
    }

    private CompletableFuture<Void> toRetryTopic(WebhookDelivery d) {
        return producer.send(new ProducerRecord<>(Topics.WEBHOOK_RETRIES, d.id(), Json.bytes(d)))
                .thenApply(md -> (Void) null);
    }

    /**
     * Commits each partition up to its first unsettled try. A try whose outcome could not be made durable (the
     * retry topic did not take it) is read again from its offset; tries after it may then repeat too.
     */
    private void commitSettled(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : List.copyOf(partitions)) {
            ArrayDeque<Pending> queue = pending.get(tp);
            while (queue != null && !queue.isEmpty() && queue.peek().settled().isDone()) {
                Pending head = queue.poll();
                if (head.settled().isCompletedExceptionally()) {
                    LOG.warn("webhook try at {}@{} not settled, it will repeat", tp, head.offset());
                    queue.clear();
                    consumer.seek(tp, head.offset());
                    break;
                }
                commit.put(tp, new OffsetAndMetadata(head.offset() + 1));
            }
        }
        if (commit.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(commit);
        } catch (KafkaException e) {
            LOG.warn("webhook offsets not committed, tries will repeat: {}", e.toString());
        }
    }

    private void applyBackpressure() {
        if (!paused && inFlight.get() >= policy.maxInFlight()) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && inFlight.get() < policy.maxInFlight() / 2 + 1) {
            consumer.resume(consumer.assignment());
            paused = false;
        }
    }

    /** On shutdown: lets tries in progress finish (bounded by their timeouts) and commits what they settled. */
    private void drain() {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            commitSettled(pending.keySet());
        } catch (RuntimeException e) {
            LOG.warn("webhook offsets not committed at shutdown, tries will repeat: {}", e.toString());
        }
    }

    /** Commits what a partition settled before it moves; tries still running are repeated by its next owner. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitSettled(partitions);
            partitions.forEach(pending::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(pending::remove);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(drainTimeout.toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close();
        producer.close();
        resolverPool.shutdownNow();
    }
}
