package io.photomaker.gateway.identity;

import io.photomaker.gateway.GatewayServices;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.submit.ImageVerifier;
import java.util.concurrent.atomic.AtomicReference;

/** Mounts the identities API (create, read, delete) on a gateway's routes. */
public final class Identities {
    private Identities() {
    }

    /** Adds POST /v1/identities, GET and DELETE /v1/identities/{id} to {@code routes}. */
    public static GatewayRoutes install(GatewayRoutes routes) {
        // Handlers are built once per HTTP verticle; the quota's count of creations in flight is per process.
        AtomicReference<IdentityQuota> quota = new AtomicReference<>();
        return routes
                .mount(GatewayRoutes.CREATE_IDENTITY, s -> new CreateIdentityHandler(s.vertx(), s.config(), s.store(),
                        s.events(), ImageVerifier.decoderPool(s.vertx()), s.limits(), quota(quota, s)))
                .mount(GatewayRoutes.GET_IDENTITY, s -> handlers(s, quota(quota, s))::get)
                .mount(GatewayRoutes.DELETE_IDENTITY, s -> handlers(s, quota(quota, s))::delete);
    }

    private static IdentityQuota quota(AtomicReference<IdentityQuota> shared, GatewayServices s) {
        return shared.updateAndGet(q -> q != null ? q
                : new IdentityQuota(s.vertx(), s.store(), s.limits().config().identitiesPerTenant()));
    }

    private static IdentityHandlers handlers(GatewayServices s, IdentityQuota quota) {
        return new IdentityHandlers(new IdentityRecords(s.vertx(), s.store()), quota);
    }
}
