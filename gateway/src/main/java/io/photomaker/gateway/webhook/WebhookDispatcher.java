package io.photomaker.gateway.webhook;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * {@value #GROUP}, makes the tries of each polled batch concurrently, and commits a record's offset
 * only after its outcome is settled: delivered, given up, or its next try durably produced to
 * {@code photomaker.webhooks.retry} (where the state processor holds it until due). A crash therefore
 * repeats a try (same webhook-id) but never loses one.
 */
public final class WebhookDispatcher implements AutoCloseable {
    public static final String GROUP = "photomaker-webhooks";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 50;

    private final KafkaConsumer<String, byte[]> consumer;
    private final JobProducer producer;
    private final WebhookSender sender;
    private final WebhookDeliverer deliverer;
    private final ExecutorService resolverPool;
    private final Duration batchTimeout;
    private final Thread thread;
    private volatile boolean running = true;

    private WebhookDispatcher(KafkaSettings kafka, Vertx vertx, ObjectStore store, LifecycleConfig cfg,
                              AddressGuard guard, MeterRegistry registry) {
        this.consumer = new KafkaConsumer<>(consumerProperties(kafka));
        this.producer = new JobProducer(kafka, "photomaker-webhook-retries");
        this.sender = new WebhookSender(vertx, cfg.webhookTimeout());
        this.resolverPool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "webhook-resolver");
            t.setDaemon(true);
            return t;
        });
        WebhookSigner signer = new WebhookSigner(cfg.webhookSecrets());
        if (signer.isEmpty()) {
            LOG.warn("PM_WEBHOOK_SECRETS is empty: webhooks go out unsigned");
        }
        this.deliverer = new WebhookDeliverer(sender, signer, guard, new DeliveryLog(store),
                new WebhookBackoff(cfg.webhookBackoff(), new Random()), cfg.webhookMaxAttempts(), resolverPool,
                registry);
        this.batchTimeout = cfg.webhookTimeout().plusSeconds(30);
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
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        return p;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.WEBHOOKS));
            while (running) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    settle(batch);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("webhook dispatcher woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("webhook dispatcher stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Makes every try of the batch, then commits up to the first record whose outcome is not settled. */
    private void settle(ConsumerRecords<String, byte[]> batch) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        List<CompletableFuture<Void>> tries = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            records.add(r);
            tries.add(handle(r));
        }
        long deadline = System.nanoTime() + batchTimeout.toNanos();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Map<TopicPartition, Long> redo = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> r = records.get(i);
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (redo.containsKey(tp)) {
                continue;
            }
            if (settled(tries.get(i), deadline)) {
                commit.put(tp, new OffsetAndMetadata(r.offset() + 1));
            } else {
                redo.put(tp, r.offset());
            }
        }
        try {
            if (!commit.isEmpty()) {
                consumer.commitSync(commit);
            }
        } catch (KafkaException e) {
            LOG.warn("webhook offsets not committed, tries will repeat: {}", e.toString());
        }
        redo.forEach(consumer::seek);
    }

    private static boolean settled(CompletableFuture<Void> f, long deadline) {
        try {
            f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("webhook try not settled, will repeat: {}", e.toString());
            return false;
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
        return deliverer.attempt(d).thenCompose(result -> result.next() == null
                ? CompletableFuture.completedFuture(null)
                : producer.send(new ProducerRecord<>(Topics.WEBHOOK_RETRIES, result.next().id(),
                        Json.bytes(result.next()))).thenApply(md -> (Void) null));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(batchTimeout.toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close();
        producer.close();
        resolverPool.shutdownNow();
    }
}
