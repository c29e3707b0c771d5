package io.photomaker.gateway.state;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job state processor: a Kafka Streams application ({@value #APPLICATION_ID}) that runs in every
 * gateway process; the replicas share the job-event partitions, and each job's verdicts, timers,
 * retention work and webhook deliveries come from the one replica that owns its partition. Runs with
 * exactly-once processing, so a verdict, its index entries, its control record, its timers and its webhook
 * deliveries commit together. Its stores are the system's job state: GETs and listings read them where
 * they live ({@link LocalStores}), each gateway advertising its internal address as
 * {@code application.server}; standby replicas keep warm copies on other gateways.
 */
public final class JobStateProcessor implements AutoCloseable {
    public static final String APPLICATION_ID = Topics.STATE_PROCESSOR_GROUP;
    static final int FETCH_MIN_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(JobStateProcessor.class);

    private final KafkaStreams streams;
    private final StateCounters counters;
    private final Path tempStateDir;
    private final RecordArrivals arrivals;
    private final RestoreProgress restore;
    private final LocalStores stores;
    private final QueueGauges gauges;

    private JobStateProcessor(KafkaStreams streams, StateCounters counters, Path tempStateDir,
                              RecordArrivals arrivals, RestoreProgress restore, HostInfo self, QueueGauges gauges,
                              OwnedStores owned) {
        this.streams = streams;
        this.counters = counters;
        this.tempStateDir = tempStateDir;
        this.arrivals = arrivals;
        this.restore = restore;
        this.stores = new LocalStores(streams, self, owned);
        this.gauges = gauges;
    }

    /** Starts the processor without retention (no object store): verdicts, expiry and webhooks only. */
    public static JobStateProcessor start(KafkaSettings kafka, LifecycleConfig cfg) {
        return start(kafka, cfg, null, Metrics.globalRegistry);
    }

    /** Starts the processor with retention against {@code objects}, counting into the global registry. */
    public static JobStateProcessor start(KafkaSettings kafka, LifecycleConfig cfg, ObjectStore objects) {
        return start(kafka, cfg, objects, Metrics.globalRegistry);
    }

    /** Starts the processor as the only one answering queries (no advertised address). */
    public static JobStateProcessor start(KafkaSettings kafka, LifecycleConfig cfg, ObjectStore objects,
                                          MeterRegistry registry) {
        return start(kafka, cfg, objects, registry, null);
    }

    /**
     * Starts the processor; returns at once, {@link #awaitRunning} waits for the first assignment.
     * {@code advertised} is where other gateways reach this one's internal API ({@code application.server});
     * null when this process answers every query itself.
     */
    public static JobStateProcessor start(KafkaSettings kafka, LifecycleConfig cfg, ObjectStore objects,
                                          MeterRegistry registry, HostInfo advertised) {
        KafkaClients.ensureTopics(kafka);
        Path temp = cfg.stateDir().isPresent() ? null : createTempDir();
        Path dir = cfg.stateDir().orElse(temp);
        StateCounters counters = new StateCounters(registry);
        RecordArrivals arrivals = new RecordArrivals();
        Properties props = properties(kafka, cfg, dir);
        if (advertised != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.host() + ":" + advertised.port());
        }
        QueueGauges gauges = new QueueGauges();
        OwnedStores owned = new OwnedStores();
        KafkaStreams streams = new KafkaStreams(StateTopology.build(cfg, objects, counters, arrivals, gauges, owned),
                props);
        RestoreProgress restore = new RestoreProgress();
        streams.setGlobalStateRestoreListener(restore);
        JobStateProcessor processor = new JobStateProcessor(streams, counters, temp, arrivals, restore,
                advertised == null ? LocalStores.ALONE : advertised, gauges, owned);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("job state processor thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("job state processor {} -> {}", before, now);
            processor.stores.forgetHandles();
            synchronized (processor) {
                processor.notifyAll();
            }
        });
        OPEN.add(processor);
        streams.start();
        return processor;
    }

    /**
     * RocksDB's native statics are torn down when the process exits; a store still open then (a processor
     * nobody closed, or whose close timed out) aborts the process. Processors still open at shutdown are
     * closed by this hook, before that teardown.
     */
    private static final Set<JobStateProcessor> OPEN = openSetClosedAtShutdown();

    private static Set<JobStateProcessor> openSetClosedAtShutdown() {
        Set<JobStateProcessor> open = ConcurrentHashMap.newKeySet();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(open).forEach(p -> {
            LOG.warn("closing a job state processor still open at shutdown");
            p.close();
        }), "job-state-shutdown"));
        return open;
    }

    static Properties properties(KafkaSettings kafka, LifecycleConfig cfg, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.putAll(kafka.security().clientProperties());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, cfg.commitInterval().toMillis());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, cfg.store().standbyReplicas());
        // Job records are JSON: compressed, changelogs and the state topic are a third of the bytes to keep and to
        // read back when a gateway restores its stores.
        p.put(StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.COMPRESSION_TYPE_CONFIG),
                "lz4");
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cfg.store().recordCacheBytes());
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName());
        p.put(BoundedRocksDb.BLOCK_CACHE_BYTES, cfg.store().blockCacheBytes());
        p.put(BoundedRocksDb.WRITE_BUFFER_BYTES, cfg.store().writeBufferBytes());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        // A record the processor cannot handle is logged and skipped rather than stopping the partition.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // A replica that dies hands its partitions over in seconds rather than the default 45 s.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        // Under load, events arrive a few milliseconds apart; fetching them one at a time costs the broker and
        // this thread far more than a wait that lets them arrive in batches. Verdicts are published at each
        // commit anyway, so waiting up to one commit interval for a batch at most doubles their delay; a
        // shorter wait would mostly add empty fetches (at 25 ms, an idle gateway spent 3% of a CPU on them).
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), FETCH_MIN_BYTES);
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), fetchMaxWaitMs(cfg));
        return p;
    }

    /** How long a fetch may wait for a batch of events: one commit interval, within 10..500 ms. */
    static int fetchMaxWaitMs(LifecycleConfig cfg) {
        return (int) Math.max(10, Math.min(500, cfg.commitInterval().toMillis()));
    }

    /** Waits until the processor is running (partitions assigned and restored); false on timeout. */
    public synchronized boolean awaitRunning(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return true;
            }
            long left = end - System.nanoTime();
            if (left <= 0 || s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            try {
                // woken by the state listener; the bound only guards against a missed notification
                wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 500)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Whether the processor is running or rebalancing (for liveness checks). */
    public boolean isHealthy() {
        return streams.state().isRunningOrRebalancing();
    }

    /** Whether every store partition this instance owns is restored and processing (for readiness). */
    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Records restored so far and in all, over the restorations of this instance's active stores. */
    public RestoreProgress restoreProgress() {
        return restore;
    }

    /**
     * Changelog records this instance's store copies (active and standby) are behind, summed; -1 while it cannot
     * say (not running). A standby at 0 can take over its partition at once.
     */
    public long storeLag() {
        try {
            return streams.allLocalStorePartitionLags().values().stream()
                    .flatMap(m -> m.values().stream()).mapToLong(org.apache.kafka.streams.LagInfo::offsetLag).sum();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Reads of this instance's stores and where the others' live. */
    public LocalStores stores() {
        return stores;
    }

    /** Queued and running jobs in the partitions this instance owns. */
    public QueueGauges gauges() {
        return gauges;
    }

    /** Lets the owner of a job wait for its record to be stored. */
    public RecordArrivals arrivals() {
        return arrivals;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public StateCounters counters() {
        return counters;
    }

    /** Stops processing and leaves the group so the other replicas take over at once. */
    @Override
    public void close() {
        boolean closed = streams.close(CloseOptions.groupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(20)));
        if (!closed) {
            LOG.warn("job state processor did not stop within 20 s; it is closed again at shutdown");
            return;
        }
        OPEN.remove(this);
        if (tempStateDir != null) {
            deleteQuietly(tempStateDir);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("photomaker-state");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
