package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertFlags;
import static io.photomaker.deploy.Violations.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObservabilityTest {

    private static final String ONE_RULE = """
            groups:
              - name: g
                rules:
                  - alert: PhotoMakerDeadLettersGrowing
                    expr: sum(increase(photomaker_dlq_messages_total[15m])) > 0
                    for: 5m
                    labels: {severity: warning}
                    annotations:
                      summary: dead letters
                      runbook: docs/OPERATIONS.md#photomakerdeadlettersgrowing
            """;
    private static final String ONE_RULE_DOC = "### PhotoMakerDeadLettersGrowing\n";

    private final JsonNode rules = YamlDocs.readObject(RepoLayout.path(ObservabilityChecks.ALERTS));
    private final String operations = RepoLayout.read(RepoLayout.path(ObservabilityChecks.OPERATIONS));

    @Test
    void the_alert_rules_parse_use_known_metrics_and_each_has_a_documented_runbook() {
        assertNone(ObservabilityChecks.alertRules(rules, operations));
    }

    @Test
    void the_alert_rules_watch_stuck_jobs_dead_letters_webhook_failures_and_unconsumed_lag() {
        assertNone(ObservabilityChecks.alertCoverage(rules));
    }

    @Test
    void the_dashboard_queries_known_metrics_through_the_provisioned_datasource() {
        assertNone(ObservabilityChecks.dashboard(dashboard(), datasourceUid()));
    }

    @Test
    void prometheus_loads_the_rules_and_scrapes_every_gateway_and_worker_on_its_port() {
        assertNone(ObservabilityChecks.prometheusWiring(
                YamlDocs.readObject(RepoLayout.path(ObservabilityChecks.PROMETHEUS_CONFIG)), ComposeFile.load()));
    }

    @Test
    void grafana_gets_the_datasource_and_the_dashboard_where_its_provider_looks() {
        assertNone(ObservabilityChecks.grafanaWiring(ComposeFile.load(),
                YamlDocs.readObject(RepoLayout.path(ObservabilityChecks.DASHBOARD_PROVIDERS))));
    }

    @Test
    void the_single_rule_fixture_passes_so_each_break_below_is_what_fails() {
        assertNone(ObservabilityChecks.alertRules(YamlDocs.parseObject(ONE_RULE), ONE_RULE_DOC));
    }

    @Test
    void an_alert_on_a_metric_the_services_do_not_expose_is_rejected() {
        assertFlags(ObservabilityChecks.alertRules(YamlDocs.parseObject(
                ONE_RULE.replace("photomaker_dlq_messages_total", "photomaker_dead_letters_total")), ONE_RULE_DOC),
                "unknown metric photomaker_dead_letters_total");
    }

    @Test
    void an_alert_without_a_runbook_section_in_operations_is_rejected() {
        assertFlags(ObservabilityChecks.alertRules(YamlDocs.parseObject(ONE_RULE), "### SomethingElse\n"),
                "has no '### PhotoMakerDeadLettersGrowing' section");
    }

    @Test
    void an_alert_with_unbalanced_brackets_is_rejected() {
        assertFlags(ObservabilityChecks.alertRules(YamlDocs.parseObject(ONE_RULE.replace("[15m]))", "[15m])")),
                ONE_RULE_DOC), "unbalanced brackets");
    }

    @Test
    void an_alert_with_an_unknown_severity_or_bad_duration_is_rejected() {
        List<String> violations = ObservabilityChecks.alertRules(YamlDocs.parseObject(
                ONE_RULE.replace("severity: warning", "severity: page").replace("for: 5m", "for: 5 minutes")), ONE_RULE_DOC);
        assertFlags(violations, "severity must be one of");
        assertFlags(violations, "not a duration");
    }

    @Test
    void rules_that_no_longer_watch_webhook_failures_are_rejected() {
        assertFlags(ObservabilityChecks.alertCoverage(YamlDocs.parseObject(ONE_RULE)),
                "no alert watches webhook failure rate");
    }

    @Test
    void a_dashboard_panel_on_an_unknown_metric_or_datasource_is_rejected() {
        ObjectNode broken = (ObjectNode) dashboard().deepCopy();
        ObjectNode target = (ObjectNode) broken.at("/panels/1/targets/0");
        target.put("expr", "sum(photomaker_queue_size)");
        target.withObjectProperty("datasource").put("uid", "other");
        List<String> violations = ObservabilityChecks.dashboard(broken, datasourceUid());
        assertFlags(violations, "unknown metric photomaker_queue_size");
        assertFlags(violations, "is not the provisioned 'photomaker-prometheus'");
    }

    @Test
    void a_dashboard_with_duplicate_panel_ids_is_rejected() {
        ObjectNode broken = (ObjectNode) dashboard().deepCopy();
        ((ObjectNode) broken.at("/panels/2")).put("id", broken.at("/panels/1/id").asInt());
        assertFlags(ObservabilityChecks.dashboard(broken, datasourceUid()), "duplicate or missing id");
    }

    @Test
    void prometheus_scraping_a_worker_on_the_wrong_port_is_rejected() {
        JsonNode config = YamlDocs.parseObject("""
                scrape_configs:
                  - job_name: w
                    dns_sd_configs: [{names: [worker, gateway, worker-gpu], type: A, port: 8080}]
                """);
        assertFlags(ObservabilityChecks.prometheusWiring(config, ComposeFile.load()),
                "prometheus scrapes worker:8080 but it listens on 9404");
    }

    @Test
    void promtool_accepts_the_rules_and_their_behaviour_tests() throws Exception {
        Optional<Path> promtool = ExternalTool.find("promtool", "PROMTOOL");
        assumeTrue(promtool.isPresent(), "promtool not installed (set PROMTOOL to run): skipped");
        for (List<String> args : List.of(List.of("check", "config", ObservabilityChecks.PROMETHEUS_CONFIG),
                List.of("test", "rules", "deploy/observability/alerts-test.yml"))) {
            List<String> command = new java.util.ArrayList<>(List.of(promtool.get().toString()));
            command.addAll(args);
            ExternalTool.Result result = ExternalTool.run(command, 120);
            assertEquals(0, result.exitCode(), String.join(" ", command) + "\n" + result.output());
        }
    }

    private static JsonNode dashboard() {
        return YamlDocs.readJson(RepoLayout.path(ObservabilityChecks.DASHBOARD));
    }

    private static String datasourceUid() {
        return YamlDocs.readObject(RepoLayout.path(ObservabilityChecks.DATASOURCES)).at("/datasources/0/uid").asText();
    }
}
