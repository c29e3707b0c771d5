package io.photomaker.gateway.auth;

import io.photomaker.common.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys a gateway accepts, held only as SHA-256 digests. A presented key is hashed and compared
 * against every digest in constant time, so neither the keys nor their prefixes leak through timing.
 */
public final class ApiKeys {
    /** Tenant ids are short, lowercase and safe to put into object keys and metric labels. */
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    public static final int MIN_KEY_LENGTH = 16;

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /** Parses {@code tenant:key,tenant2:key2} (PM_API_KEYS); a tenant may have several keys. */
    public static ApiKeys parse(String spec) {
        List<Entry> entries = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return new ApiKeys(entries);
        }
        for (String raw : spec.split(",")) {
            String pair = raw.trim();
            if (pair.isEmpty()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new ConfigException("PM_API_KEYS entries must look like tenant:key");
            }
            String tenant = pair.substring(0, colon);
            String key = pair.substring(colon + 1);
            if (!TENANT.matcher(tenant).matches()) {
                throw new ConfigException("PM_API_KEYS tenant '" + tenant + "' must match " + TENANT.pattern());
            }
            if (key.length() < MIN_KEY_LENGTH) {
                throw new ConfigException("PM_API_KEYS key for tenant '" + tenant + "' is shorter than "
                        + MIN_KEY_LENGTH + " characters");
            }
            byte[] digest = sha256(key);
            for (Entry e : entries) {
                if (MessageDigest.isEqual(e.digest, digest)) {
                    throw new ConfigException("PM_API_KEYS lists the same key twice (tenants '" + e.tenant
                            + "' and '" + tenant + "')");
                }
            }
            entries.add(new Entry(tenant, digest));
        }
        return new ApiKeys(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The tenant owning {@code presentedKey}, or empty. Always compares against every stored digest. */
    public Optional<String> tenantFor(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 512) {
            return Optional.empty();
        }
        byte[] digest = sha256(presentedKey);
        String found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, digest) && found == null) {
                found = e.tenant;
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeys[" + entries.size() + " keys]";
    }

    private record Entry(String tenant, byte[] digest) {
    }
}
