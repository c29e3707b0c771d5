package io.photomaker.gateway.identity;

import io.photomaker.gateway.GatewayServices;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.submit.ImageVerifier;

/** Mounts the identities API (create, read, delete) on a gateway's routes. */
public final class Identities {
    private Identities() {
    }

    /** Adds POST /v1/identities, GET and DELETE /v1/identities/{id} to {@code routes}. */
    public static GatewayRoutes install(GatewayRoutes routes) {
        return routes
                .mount(GatewayRoutes.CREATE_IDENTITY, s -> new CreateIdentityHandler(s.vertx(), s.config(), s.store(),
                        s.events(), ImageVerifier.decoderPool(s.vertx())))
                .mount(GatewayRoutes.GET_IDENTITY, s -> handlers(s)::get)
                .mount(GatewayRoutes.DELETE_IDENTITY, s -> handlers(s)::delete);
    }

    private static IdentityHandlers handlers(GatewayServices s) {
        return new IdentityHandlers(new IdentityRecords(s.vertx(), s.store()));
    }
}
