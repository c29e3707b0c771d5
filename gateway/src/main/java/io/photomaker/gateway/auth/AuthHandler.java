package io.photomaker.gateway.auth;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.gateway.GatewayConfig;
import io.photomaker.gateway.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Authenticates every request under {@code /v1/} with an API key from {@code Authorization: Bearer <key>}
 * or {@code X-API-Key}, and puts the tenant id into the context ({@code ctx.get("tenant")}). Health,
 * readiness, metrics, the OpenAPI document and the web page are public. In dev mode a request without a
 * key acts as tenant {@value GatewayConfig#DEV_TENANT}; a wrong key is refused even then.
 */
public final class AuthHandler implements Handler<RoutingContext> {
    public static final String TENANT = "tenant";
    public static final String API_KEY_HEADER = "X-API-Key";

    private final ApiKeys keys;
    private final boolean anonymousAllowed;

    public AuthHandler(ApiKeys keys, boolean anonymousAllowed) {
        this.keys = keys;
        this.anonymousAllowed = anonymousAllowed;
    }

    /** Whether {@code path} needs a key. */
    public static boolean isProtected(String path) {
        return path != null && (path.startsWith("/v1/") || path.equals("/v1"));
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!isProtected(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        Optional<String> presented = presentedKey(ctx);
        if (presented.isEmpty()) {
            if (anonymousAllowed) {
                ctx.put(TENANT, GatewayConfig.DEV_TENANT);
                ctx.next();
                return;
            }
            ctx.fail(new ApiError(ErrorType.UNAUTHORIZED, "send an API key as 'Authorization: Bearer <key>' or '"
                    + API_KEY_HEADER + ": <key>'"));
            return;
        }
        Optional<String> tenant = keys.tenantFor(presented.get());
        if (tenant.isEmpty()) {
            ctx.fail(new ApiError(ErrorType.UNAUTHORIZED, "the API key is not valid"));
            return;
        }
        ctx.put(TENANT, tenant.get());
        ctx.next();
    }

    private static Optional<String> presentedKey(RoutingContext ctx) {
        String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(auth.substring(7).trim());
        }
        String key = ctx.request().getHeader(API_KEY_HEADER);
        if (key != null && !key.isBlank()) {
            return Optional.of(key.trim());
        }
        return auth != null ? Optional.of("") : Optional.empty();
    }
}
