package io.photomaker.gateway;

import static io.photomaker.gateway.server.OperationTable.BodyMode.NONE;
import static io.photomaker.gateway.server.OperationTable.BodyMode.STREAM;
import static io.photomaker.gateway.server.OperationTable.Validation.HANDLER;
import static io.photomaker.gateway.server.OperationTable.Validation.OPENAPI;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.trace.Tracing;
import io.photomaker.gateway.cluster.InternalApi;
import io.photomaker.gateway.cluster.JobLister;
import io.photomaker.gateway.cluster.JobReader;
import io.photomaker.gateway.cluster.OwnerReads;
import io.photomaker.gateway.cluster.PeerClient;
import io.photomaker.gateway.config.GatewayConfig;
import io.photomaker.gateway.identity.IdentityHandlers;
import io.photomaker.gateway.identity.IdentityQuota;
import io.photomaker.gateway.identity.IdentityRecords;
import io.photomaker.gateway.identity.JobIdentities;
import io.photomaker.gateway.jobs.JobEventsHandler;
import io.photomaker.gateway.jobs.JobJson;
import io.photomaker.gateway.jobs.JobLookup;
import io.photomaker.gateway.jobs.JobWatcher;
import io.photomaker.gateway.jobs.JobsHandler;
import io.photomaker.gateway.jobs.WebhookLogHandler;
import io.photomaker.gateway.jobs.WebhookReplayHandler;
import io.photomaker.gateway.jobs.WebhookSecretHandler;
import io.photomaker.gateway.kafka.EventSender;
import io.photomaker.gateway.kafka.KafkaProbe;
import io.photomaker.gateway.kafka.QueuePositions;
import io.photomaker.gateway.kafka.VerdictFeed;
import io.photomaker.gateway.limits.ClusterUsage;
import io.photomaker.gateway.limits.ConcurrencyQuota;
import io.photomaker.gateway.limits.GatewayLimits;
import io.photomaker.gateway.metrics.GatewayMetrics;
import io.photomaker.gateway.openapi.ApiContract;
import io.photomaker.gateway.ops.OpsHandlers;
import io.photomaker.gateway.ops.StateReadiness;
import io.photomaker.gateway.retention.ArchiveReader;
import io.photomaker.gateway.retention.ArchivedJobs;
import io.photomaker.gateway.server.OperationTable;
import io.photomaker.gateway.state.JobStateProcessor;
import io.photomaker.gateway.state.LifecycleConfig;
import io.photomaker.gateway.submit.Admission;
import io.photomaker.gateway.submit.CreateIdentityHandler;
import io.photomaker.gateway.submit.IdempotencyStore;
import io.photomaker.gateway.submit.ImageVerifier;
import io.photomaker.gateway.submit.JobSubmitter;
import io.photomaker.gateway.submit.PhotoIntake;
import io.photomaker.gateway.submit.SubmissionAnswer;
import io.photomaker.gateway.submit.SubmitHandler;
import io.photomaker.gateway.web.WebAssets;
import io.photomaker.gateway.webhook.DeliveryLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The composition root: the one place where a gateway's parts are built and wired, bottom up. First the
 * backends ({@link #backends}): object store and Kafka adapters, the internal listener, the state processor with
 * its lifecycle settings and retention, and the services on it (owner reads, lookups, listings, cluster limits).
 * Then the API ({@link #GatewayAssembly}): every handler, each given only what it uses, in one route table.
 * Built once per gateway and shared by all HTTP verticles: limits, quotas and idempotency are per process.
 */
final class GatewayAssembly implements AutoCloseable {
    private final WorkerExecutor decoders;
    private final OpsHandlers ops;
    private final OperationTable operations = new OperationTable();

    /** The backends and services of one gateway; everything that must be closed is added to {@code resources}. */
    static GatewayServices backends(Vertx vertx, GatewayConfig config, LifecycleConfig lifecycle, KafkaSettings kafka,
                                    S3Settings s3, List<AutoCloseable> resources, Tracing tracing) throws Exception {
        ObjectStore store = keep(resources, new ObjectStore(s3));
        JobProducer producer = keep(resources, new JobProducer(kafka, "photomaker-gateway"));
        KafkaProbe probe = keep(resources, new KafkaProbe(vertx, kafka, Duration.ofSeconds(2)));
        GatewayMetrics metrics = GatewayMetrics.forVertx(vertx);
        // The internal listener binds first: its port is the address the state processor advertises.
        InternalApi internal = keep(resources, InternalApi.start(vertx, config.internal())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        HostInfo advertised = new HostInfo(config.internal().advertisedHost(), internal.port());
        JobStateProcessor processor = keep(resources, JobStateProcessor.start(kafka, lifecycle, store,
                metrics.registry(), advertised));
        OwnerReads reads = new OwnerReads(vertx, processor.stores(), processor.arrivals(), config.recentJobWindow(),
                config.recentJobWait());
        resources.add(reads::close);
        reads.archive(archive(vertx, store));
        internal.serve(reads);
        PeerClient peers = keep(resources, new PeerClient(vertx, config.internal().token()));
        JobReader reader = new JobReader(vertx, reads, peers);
        VerdictFeed feed = keep(resources, new VerdictFeed(kafka, "photomaker-gateway-feed").start());
        ClusterUsage usage = keep(resources, new ClusterUsage(kafka, "photomaker-gateway-usage",
                processor.stores()::members).start());
        QueuePositions positions = keep(resources, new QueuePositions(kafka).start(Duration.ofSeconds(5)));
        metrics.bindQueue(() -> (int) processor.gauges().queued(), () -> (int) processor.gauges().running());
        EventSender events = new EventSender(vertx, producer, probe, config.submitAckTimeout(), tracing);
        // The submission and replay rates hold for the whole cluster: each live gateway takes its share.
        GatewayLimits limits = new GatewayLimits(config.limits(), config.rateLimitPerMinute(), usage::gateways)
                .bindTo(metrics.registry());
        return new GatewayServices(vertx, config, store, producer, processor, reads, new JobLookup(reader),
                new JobLister(vertx, reads, peers), feed, new JobWatcher(vertx, feed, reader), positions, usage,
                new JobJson(config.outputTtl()), events, probe, metrics, limits);
    }

    /** GETs of jobs that left the live state read the records retention archived to the object store. */
    private static ArchivedJobs archive(Vertx vertx, ObjectStore store) {
        ArchiveReader reader = new ArchiveReader(store);
        return jobId -> Future.fromCompletionStage(reader.find(jobId), vertx.getOrCreateContext());
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> resources, T resource) {
        resources.add(resource);
        return resource;
    }

    /** Every handler of the API, over the services {@code s}, in the route table. */
    GatewayAssembly(GatewayServices s, LifecycleConfig lifecycle, ApiContract contract) {
        GatewayConfig cfg = s.config();
        Vertx vertx = s.vertx();
        this.decoders = ImageVerifier.decoderPool(vertx);
        JobsHandler jobs = new JobsHandler(vertx, s.lookup(), s.lister(), s.positions(), s.json(), s.events(),
                s.store(), cfg.presignTtl());
        // Both limits hold for the whole cluster: counts from the state processors, shares by live gateways
        // (the submission rate lives in s.limits(), shared with identity creation).
        ConcurrencyQuota quota = new ConcurrencyQuota(cfg.maxConcurrentJobs(), s.usage());
        SubmitHandler submit = new SubmitHandler(cfg,
                new Admission(s.limits().submissions(), cfg.rateLimitPerMinute(), s.events(), quota),
                PhotoIntake.forJobs(cfg.photos(), s.limits(), decoders),
                new IdempotencyStore(vertx, s.store(), cfg.idempotencyTtl()),
                new JobSubmitter(vertx, s.store(), s.events(), cfg.inputLimits(), s.metrics()),
                new JobIdentities(new IdentityRecords(vertx, s.store())),
                new SubmissionAnswer(cfg.maxPreferWait(), s.lookup(), s.watcher(), jobs));
        this.ops = new OpsHandlers(vertx, s.kafkaProbe(), new StateReadiness(s.processor(), s.feed(), s.usage()),
                s.store(), s.metrics());
        // Output redirects lead to the object store; the page may fetch from that origin and nowhere else.
        WebAssets web = WebAssets.load(s.store().presignGet("outputs/origin-probe.png", Duration.ofMinutes(1)));
        DeliveryLog deliveries = new DeliveryLog(s.store());
        IdentityQuota identityQuota = new IdentityQuota(vertx, s.store(), s.limits().config().identitiesPerTenant());
        IdentityHandlers identities = new IdentityHandlers(new IdentityRecords(vertx, s.store()), identityQuota);

        operations
                .add("getWebPage", NONE, OPENAPI, web::page)
                .add("getWebAsset", NONE, OPENAPI, web::asset)
                .add("getHealth", NONE, OPENAPI, ops::health)
                .add("getOpenApi", NONE, OPENAPI, ctx -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(contract.raw()))
                .add("createJob", STREAM, HANDLER, submit)
                .add("listJobs", NONE, HANDLER, jobs::list)
                .add("getJob", NONE, HANDLER, jobs::get)
                .add("cancelJob", NONE, OPENAPI, jobs::cancel)
                .add("deleteJobData", NONE, OPENAPI, jobs::deleteData)
                .add("getJobOutput", NONE, OPENAPI, jobs::output)
                .add("streamJobEvents", NONE, OPENAPI, new JobEventsHandler(s.lookup(), s.feed(),
                        lifecycle.sseKeepAlive(), s.limits().streams()))
                .add("listJobWebhooks", NONE, OPENAPI, new WebhookLogHandler(s.lookup(), deliveries))
                .add("replayJobWebhook", NONE, OPENAPI, new WebhookReplayHandler(s.lookup(), deliveries,
                        s.producer(), s.limits().replays()))
                .add("getWebhookSecret", NONE, OPENAPI, new WebhookSecretHandler(lifecycle.webhook().keys()))
                .add("createIdentity", STREAM, HANDLER, new CreateIdentityHandler(vertx, cfg, s.store(), s.events(),
                        PhotoIntake.forIdentities(cfg.photos(), s.limits(), decoders), s.limits(), identityQuota))
                .add("getIdentity", NONE, OPENAPI, identities::get)
                .add("deleteIdentity", NONE, OPENAPI, identities::delete)
                .bind(contract.contract());
    }

    /** The route table of the API. */
    OperationTable operations() {
        return operations;
    }

    /** Health, readiness and metrics, for the management port too. */
    OpsHandlers ops() {
        return ops;
    }

    @Override
    public void close() {
        decoders.close();
    }
}
