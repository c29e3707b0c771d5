package io.photomaker.gateway.identity;

import io.photomaker.gateway.http.Responses;
import io.vertx.ext.web.RoutingContext;

/**
 * GET and DELETE /v1/identities/{id} for the identity's owner; to anyone else the identity does not exist
 * (404 {@code identity_not_found}).
 */
public final class IdentityHandlers {
    private final IdentityRecords records;
    private final IdentityQuota quota;

    public IdentityHandlers(IdentityRecords records, IdentityQuota quota) {
        this.records = records;
        this.quota = quota;
    }

    /** GET: the identity's record (status, embeddings, error), never its photo keys. */
    public void get(RoutingContext ctx) {
        records.owned(ctx.get("tenant"), ctx.pathParam("id"), null)
                .onSuccess(r -> Responses.json(ctx, 200, IdentityJson.render(r)))
                .onFailure(ctx::fail);
    }

    /**
     * DELETE: the record first, so a worker still encoding the identity finds it gone and cannot write it back,
     * then the photos and the embeddings, everything under the identity's prefix, and the tenant's quota marker;
     * 204.
     */
    public void delete(RoutingContext ctx) {
        String tenant = ctx.get("tenant");
        records.owned(tenant, ctx.pathParam("id"), null)
                .compose(r -> records.deleteAll(r.id()).compose(n -> quota.forget(tenant, r.id())))
                .onSuccess(n -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }
}
