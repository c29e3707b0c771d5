package io.photomaker.gateway.webhook;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.gateway.settings.GatewaySettings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each tenant's webhook signing secret, derived from a server key the deployment provides as a Secret
 * (PM_WEBHOOK_SIGNING_KEY): {@code whsec_ + base64(HMAC-SHA256(server key, "photomaker/webhook-secret/v1/" +
 * tenant))}. Nothing is stored; every gateway derives the same secret, and no tenant can compute another's. To
 * rotate, the new server key becomes PM_WEBHOOK_SIGNING_KEY and the old one PM_WEBHOOK_PREVIOUS_SIGNING_KEY: both
 * sign every delivery until PM_WEBHOOK_PREVIOUS_KEY_UNTIL (or until the old key is removed), so receivers can
 * switch to the new secret during that grace period. Without a server key (allowed in dev mode only) a random one
 * is drawn at start: secrets then change with every restart.
 */
public final class WebhookKeys {
    /** Shortest server key accepted: 32 characters (e.g. {@code openssl rand -base64 32}). */
    public static final int MIN_KEY_LENGTH = 32;
    private static final String PREFIX = "whsec_";
    private static final String CONTEXT = "photomaker/webhook-secret/v1/";

    private final byte[] current;
    private final byte[] previous;
    private final Instant previousUntil;
    private final boolean ephemeral;

    private WebhookKeys(byte[] current, byte[] previous, Instant previousUntil, boolean ephemeral) {
        this.current = current;
        this.previous = previous;
        this.previousUntil = previousUntil;
        this.ephemeral = ephemeral;
    }

    /** Reads PM_WEBHOOK_SIGNING_KEY, PM_WEBHOOK_PREVIOUS_SIGNING_KEY and PM_WEBHOOK_PREVIOUS_KEY_UNTIL. */
    public static WebhookKeys from(Settings s) {
        var key = s.optional(GatewaySettings.WEBHOOK_SIGNING_KEY);
        var previous = s.optional(GatewaySettings.WEBHOOK_PREVIOUS_SIGNING_KEY);
        Instant until = s.optional(GatewaySettings.WEBHOOK_PREVIOUS_KEY_UNTIL).map(WebhookKeys::instant).orElse(null);
        if (key.isEmpty()) {
            if (previous.isPresent()) {
                throw new ConfigException("PM_WEBHOOK_PREVIOUS_SIGNING_KEY needs PM_WEBHOOK_SIGNING_KEY");
            }
            return random();
        }
        return new WebhookKeys(keyBytes("PM_WEBHOOK_SIGNING_KEY", key.get()),
                previous.map(p -> keyBytes("PM_WEBHOOK_PREVIOUS_SIGNING_KEY", p)).orElse(null), until, false);
    }

    /** Keys from a server key alone. */
    public static WebhookKeys of(String serverKey) {
        return new WebhookKeys(keyBytes("server key", serverKey), null, null, false);
    }

    /** Keys in rotation: {@code previous} also signs until {@code previousUntil} (null: for as long as it is set). */
    public static WebhookKeys rotating(String serverKey, String previous, Instant previousUntil) {
        return new WebhookKeys(keyBytes("server key", serverKey), keyBytes("previous key", previous), previousUntil,
                false);
    }

    /** A random server key for this process only. */
    public static WebhookKeys random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new WebhookKeys(key, null, null, true);
    }

    /** Whether the server key was drawn at start (no PM_WEBHOOK_SIGNING_KEY): secrets change with each restart. */
    public boolean ephemeral() {
        return ephemeral;
    }

    /** The tenant's current secret, as {@code GET /v1/webhooks/default/secret} shows it. */
    public String secretFor(String tenant) {
        return PREFIX + Base64.getEncoder().encodeToString(derive(current, tenant));
    }

    /** The HMAC keys that sign a delivery of {@code tenant} at {@code nowMillis}: the current one first. */
    List<byte[]> signingKeys(String tenant, long nowMillis) {
        List<byte[]> keys = new ArrayList<>(2);
        keys.add(derive(current, tenant));
        if (previous != null && (previousUntil == null || nowMillis < previousUntil.toEpochMilli())) {
            keys.add(derive(previous, tenant));
        }
        return keys;
    }

    private static byte[] derive(byte[] serverKey, String tenant) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(serverKey, "HmacSHA256"));
            return mac.doFinal((CONTEXT + tenant).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] keyBytes(String name, String value) {
        if (value == null || value.trim().length() < MIN_KEY_LENGTH) {
            throw new ConfigException(name + " must be at least " + MIN_KEY_LENGTH
                    + " characters (e.g. the output of `openssl rand -base64 32`)");
        }
        return value.trim().getBytes(StandardCharsets.UTF_8);
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ConfigException("PM_WEBHOOK_PREVIOUS_KEY_UNTIL must be an ISO-8601 instant such as "
                    + "2027-01-31T00:00:00Z, was " + value);
        }
    }
}
