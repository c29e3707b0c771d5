package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.gateway.submit.IdempotencyStore;
import io.photomaker.gateway.webhook.DeliveryLog;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Objects the system never deletes by itself expire by lifecycle rules: one JSON file, applied by the compose
 * stack's bucket setup and by a Kubernetes Job, with a rule for every prefix the code writes such objects under.
 */
class ObjectLifecycleTest {
    private static final String RULES = "deploy/k8s/base/s3-lifecycle.json";

    private static Map<String, Integer> expiryDaysByPrefix() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(RepoLayout.read(RepoLayout.path(RULES)));
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode rule : doc.path("Rules")) {
            assertEquals("Enabled", rule.path("Status").asText(), rule.toString());
            out.put(rule.path("Filter").path("Prefix").asText(), rule.path("Expiration").path("Days").asInt());
        }
        return out;
    }

    @Test
    void archived_jobs_idempotency_keys_and_webhook_logs_expire_under_the_prefixes_the_code_uses() throws Exception {
        Map<String, Integer> rules = expiryDaysByPrefix();
        for (String prefix : new String[] {ObjectKeys.ARCHIVE_PREFIX, IdempotencyStore.PREFIX, DeliveryLog.ROOT}) {
            assertTrue(rules.containsKey(prefix), "no lifecycle rule for " + prefix + ": " + rules);
            assertTrue(rules.get(prefix) > 0, prefix);
        }
        assertTrue(rules.get(IdempotencyStore.PREFIX) >= 2, "an Idempotency-Key lives 24 h: keep its record longer");
        assertTrue(rules.keySet().stream().noneMatch(p -> p.startsWith("inputs/") || p.startsWith("outputs/")
                || p.startsWith("identities/")), "photos, outputs and identities have their own retention");
    }

    @Test
    void compose_and_kubernetes_both_apply_the_rules() {
        assertTrue(RepoLayout.read(RepoLayout.path("deploy/compose/create-bucket.sh"))
                .contains("mc ilm import \"local/$PM_S3_BUCKET\" < /etc/photomaker/s3-lifecycle.json"));
        assertTrue(RepoLayout.read(RepoLayout.path("docker-compose.yml"))
                .contains("./" + RULES + ":/etc/photomaker/s3-lifecycle.json:ro"));
        Manifests base = Violations.rendered("deploy/k8s/base");
        assertTrue(base.find("Job", "photomaker-s3-lifecycle").isPresent(), "the lifecycle Job is deployed");
        String inCluster = base.find("ConfigMap", "photomaker-s3-lifecycle").orElseThrow()
                .path("data").path("s3-lifecycle.json").asText();
        try {
            ObjectMapper json = new ObjectMapper();
            assertEquals(json.readTree(RepoLayout.read(RepoLayout.path(RULES))), json.readTree(inCluster),
                    "the ConfigMap must carry the same rules as " + RULES);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
