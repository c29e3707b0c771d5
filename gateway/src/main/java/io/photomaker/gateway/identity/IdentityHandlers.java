package io.photomaker.gateway.identity;

import io.photomaker.gateway.http.Responses;
import io.vertx.ext.web.RoutingContext;

/**
 * GET and DELETE /v1/identities/{id} for the identity's owner; to anyone else the identity does not exist
 * (404 {@code identity_not_found}).
 */
public final class IdentityHandlers {
    private final IdentityRecords records;

    public IdentityHandlers(IdentityRecords records) {
        this.records = records;
    }

    /** GET: the identity's record (status, embeddings, error), never its photo keys. */
    public void get(RoutingContext ctx) {
        records.owned(ctx.get("tenant"), ctx.pathParam("id"), null)
                .onSuccess(r -> Responses.json(ctx, 200, IdentityJson.render(r)))
                .onFailure(ctx::fail);
    }

    /** DELETE: the record, the photos and the embeddings, everything under the identity's prefix; 204. */
    public void delete(RoutingContext ctx) {
        records.owned(ctx.get("tenant"), ctx.pathParam("id"), null)
                .compose(r -> records.deleteAll(r.id()))
                .onSuccess(n -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }
}
