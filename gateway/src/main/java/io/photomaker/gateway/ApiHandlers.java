package io.photomaker.gateway;

import io.photomaker.gateway.identity.IdentityRecords;
import io.photomaker.gateway.identity.JobIdentities;
import io.photomaker.gateway.jobs.JobsHandler;
import io.photomaker.gateway.limits.ConcurrencyQuota;
import io.photomaker.gateway.openapi.ApiContract;
import io.photomaker.gateway.ops.OpsHandlers;
import io.photomaker.gateway.ops.StateReadiness;
import io.photomaker.gateway.submit.IdempotencyStore;
import io.photomaker.gateway.submit.ImageVerifier;
import io.photomaker.gateway.submit.JobSubmitter;
import io.photomaker.gateway.submit.SubmitHandler;
import io.photomaker.gateway.web.WebAssets;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's own operation handlers, keyed by the operation ids of openapi.json. Built once per gateway
 * and shared by all HTTP verticles: limits, quotas and idempotency must be per process, not per event loop.
 */
final class ApiHandlers implements AutoCloseable {
    private final WorkerExecutor decoders;
    private final Map<String, Handler<RoutingContext>> routes = new LinkedHashMap<>();

    ApiHandlers(GatewayServices s, ApiContract contract) {
        GatewayConfig cfg = s.config();
        this.decoders = ImageVerifier.decoderPool(s.vertx());
        JobsHandler jobs = new JobsHandler(s.vertx(), s.lookup(), s.lister(), s.positions(), s.json(), s.events(),
                s.store(), cfg.presignTtl());
        // Both limits hold for the whole cluster: counts from the state processors, shares by live gateways
        // (the submission rate lives in s.limits(), shared with identity creation).
        ConcurrencyQuota quota = new ConcurrencyQuota(cfg.maxConcurrentJobs(), s.usage());
        SubmitHandler submit = new SubmitHandler(cfg, s.limits(), quota, decoders,
                new IdempotencyStore(s.vertx(), s.store(), cfg.idempotencyTtl()),
                new JobSubmitter(s.vertx(), s.store(), s.events(), cfg.inputLimits()), s.events(), s.lookup(),
                s.watcher(), jobs,
                new JobIdentities(new IdentityRecords(s.vertx(), s.store())), s.metrics());
        OpsHandlers ops = new OpsHandlers(s.vertx(), s.kafkaProbe(),
                new StateReadiness(s.processor(), s.feed(), s.usage()), s.store(), s.metrics());
        // Output redirects lead to the object store; the page may fetch from that origin and nowhere else.
        WebAssets web = WebAssets.load(s.store().presignGet("outputs/origin-probe.png", Duration.ofMinutes(1)));

        routes.put("createJob", submit);
        routes.put("listJobs", jobs::list);
        routes.put("getJob", jobs::get);
        routes.put("cancelJob", jobs::cancel);
        routes.put("deleteJobData", jobs::deleteData);
        routes.put("getJobOutput", jobs::output);
        routes.put("getHealth", ops::health);
        routes.put("getOpenApi", ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(contract.raw()));
        routes.put("getWebPage", web::page);
        routes.put("getWebAsset", web::asset);
    }

    Map<String, Handler<RoutingContext>> routes() {
        return routes;
    }

    @Override
    public void close() {
        decoders.close();
    }
}
