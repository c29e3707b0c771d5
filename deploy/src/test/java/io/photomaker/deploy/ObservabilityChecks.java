package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks on deploy/observability: alert rules (well-formed, only known metrics, documented, covering
 * the conditions operations needs), the Grafana dashboard, and Prometheus/Grafana wiring in compose.
 */
final class ObservabilityChecks {

    static final String ALERTS = "deploy/observability/alerts.yml";
    static final String PROMETHEUS_CONFIG = "deploy/observability/prometheus.yml";
    static final String DASHBOARD = "deploy/observability/grafana/dashboards/photomaker.json";
    static final String DATASOURCES = "deploy/observability/grafana/provisioning/datasources/prometheus.yml";
    static final String DASHBOARD_PROVIDERS = "deploy/observability/grafana/provisioning/dashboards/photomaker.yml";
    static final String OPERATIONS = "docs/OPERATIONS.md";
    static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    /** Conditions the rules must watch, each with the metric that reveals it. */
    static final Map<String, String> REQUIRED_COVERAGE = Map.of(
            "jobs stuck running", "photomaker_jobs_running",
            "dead-letter growth", "photomaker_dlq_messages_total",
            "webhook failure rate", "photomaker_webhook_deliveries_total",
            "lag with no consumer", "photomaker_consumer_lag");

    private ObservabilityChecks() {
    }

    /** A PromQL expression is balanced and selects only metrics the services expose. */
    static List<String> queryProblems(String where, String expression) {
        List<String> violations = new ArrayList<>();
        if (expression.isBlank()) {
            return List.of(where + ": empty expression");
        }
        if (!PromQl.balanced(expression)) {
            violations.add(where + ": unbalanced brackets in " + expression.strip());
        }
        PromQl.metricNames(expression).stream().filter(name -> !KnownMetrics.isKnown(name))
                .forEach(name -> violations.add(where + ": unknown metric " + name));
        return violations;
    }

    static List<String> alertRules(JsonNode rules, String operationsDoc) {
        List<String> violations = new ArrayList<>();
        if (rules.path("groups").isEmpty()) {
            return List.of(ALERTS + ": no rule groups");
        }
        Set<String> names = new HashSet<>();
        List<JsonNode> all = new ArrayList<>();
        rules.path("groups").forEach(group -> group.path("rules").forEach(all::add));
        for (JsonNode rule : all) {
            String name = rule.path("alert").asText("");
            String where = "alert " + (name.isEmpty() ? rule.path("expr").asText() : name);
            if (!name.matches("[A-Z][A-Za-z0-9]+") || !names.add(name)) {
                violations.add(where + ": alert names must be unique CamelCase");
            }
            violations.addAll(queryProblems(where, rule.path("expr").asText("")));
            if (rule.has("for")) {
                try {
                    Durations.seconds(rule.path("for").asText());
                } catch (IllegalArgumentException e) {
                    violations.add(where + ": " + e.getMessage());
                }
            }
            if (!SEVERITIES.contains(YamlDocs.text(rule, "labels", "severity"))) {
                violations.add(where + ": severity must be one of " + SEVERITIES);
            }
            if (YamlDocs.text(rule, "annotations", "summary").isBlank()) {
                violations.add(where + ": no summary annotation");
            }
            String runbook = OPERATIONS + "#" + name.toLowerCase();
            if (!runbook.equals(YamlDocs.text(rule, "annotations", "runbook"))) {
                violations.add(where + ": runbook annotation must be " + runbook);
            }
            if (!operationsDoc.contains("### " + name + "\n")) {
                violations.add(where + ": " + OPERATIONS + " has no '### " + name + "' section saying what to do");
            }
        }
        return violations;
    }

    /** Each condition operations must hear about has an alert on the metric that reveals it. */
    static List<String> alertCoverage(JsonNode rules) {
        Set<String> used = new HashSet<>();
        rules.path("groups").findValues("expr").forEach(e -> used.addAll(PromQl.metricNames(e.asText())));
        List<String> violations = new ArrayList<>();
        REQUIRED_COVERAGE.forEach((condition, metric) -> {
            if (!used.contains(metric)) {
                violations.add("no alert watches " + condition + " (" + metric + ")");
            }
        });
        return violations;
    }

    /** Panels query known metrics through the provisioned datasource; ids are unique. */
    static List<String> dashboard(JsonNode dashboard, String datasourceUid) {
        List<String> violations = new ArrayList<>();
        if (dashboard.path("uid").asText("").isBlank() || dashboard.path("title").asText("").isBlank()) {
            violations.add("dashboard: needs uid and title");
        }
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.path("panels"), panels);
        Set<Integer> ids = new HashSet<>();
        int queries = 0;
        for (JsonNode panel : panels) {
            String where = "panel '" + panel.path("title").asText() + "'";
            if (!ids.add(panel.path("id").asInt(-1))) {
                violations.add(where + ": duplicate or missing id");
            }
            for (JsonNode target : panel.path("targets")) {
                queries++;
                violations.addAll(queryProblems(where, target.path("expr").asText("")));
                String uid = target.path("datasource").path("uid").asText(panel.path("datasource").path("uid").asText(""));
                if (!datasourceUid.equals(uid)) {
                    violations.add(where + ": datasource uid '" + uid + "' is not the provisioned '" + datasourceUid + "'");
                }
            }
        }
        if (queries == 0) {
            violations.add("dashboard: no queries");
        }
        return violations;
    }

    /** Prometheus in compose loads its rule files and scrapes every gateway and worker on its real port. */
    static List<String> prometheusWiring(JsonNode config, ComposeFile compose) {
        List<String> violations = new ArrayList<>();
        Optional<ComposeFile.Service> prometheus = compose.services().stream()
                .filter(s -> s.image().repository().endsWith("prom/prometheus")).findFirst();
        if (prometheus.isEmpty()) {
            return List.of("compose: no Prometheus service");
        }
        Optional<ComposeFile.Mount> configMount = prometheus.get().mounts().stream()
                .filter(m -> RepoLayout.path(m.source()).normalize().equals(RepoLayout.path(PROMETHEUS_CONFIG))).findFirst();
        if (configMount.isEmpty()) {
            return List.of("compose prometheus does not mount " + PROMETHEUS_CONFIG);
        }
        Path configDir = Path.of(configMount.get().target()).getParent();
        for (JsonNode ruleFile : config.path("rule_files")) {
            String target = configDir.resolve(ruleFile.asText()).toString();
            boolean mounted = prometheus.get().mounts().stream()
                    .anyMatch(m -> m.target().equals(target) && Files.isRegularFile(RepoLayout.path(m.source())));
            if (!mounted) {
                violations.add("prometheus rule file " + target + " is not mounted from an existing file");
            }
        }
        Set<String> scraped = new HashSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            if (!"/metrics".equals(job.path("metrics_path").asText("/metrics"))) {
                violations.add("scrape job " + job.path("job_name").asText() + " does not scrape /metrics");
            }
            for (JsonNode sd : job.path("dns_sd_configs")) {
                for (JsonNode name : sd.path("names")) {
                    scraped.add(name.asText());
                    violations.addAll(scrapePort(compose, name.asText(), sd.path("port").asInt(-1)));
                }
            }
        }
        compose.services().stream().filter(s -> s.role() != Role.OTHER && !scraped.contains(s.name()))
                .forEach(s -> violations.add("compose service " + s.name() + " is not scraped by Prometheus"));
        return violations;
    }

    /** Grafana in compose gets the provisioning directory and the dashboards where the provider looks. */
    static List<String> grafanaWiring(ComposeFile compose, JsonNode providers) {
        Optional<ComposeFile.Service> grafana = compose.services().stream()
                .filter(s -> s.image().repository().endsWith("grafana/grafana")).findFirst();
        if (grafana.isEmpty()) {
            return List.of("compose: no Grafana service");
        }
        List<String> violations = new ArrayList<>();
        List<ComposeFile.Mount> mounts = grafana.get().mounts();
        if (mounts.stream().noneMatch(m -> m.target().equals("/etc/grafana/provisioning")
                && RepoLayout.path(m.source()).normalize().equals(RepoLayout.path(DATASOURCES).getParent().getParent()))) {
            violations.add("grafana does not mount the provisioning directory at /etc/grafana/provisioning");
        }
        for (JsonNode provider : providers.path("providers")) {
            String path = YamlDocs.text(provider, "options", "path");
            boolean served = mounts.stream().anyMatch(m -> m.target().equals(path)
                    && Files.isRegularFile(RepoLayout.path(m.source()).resolve(Path.of(DASHBOARD).getFileName())));
            if (!served) {
                violations.add("grafana dashboard provider path " + path + " is not a mount holding the dashboard");
            }
        }
        return violations;
    }

    private static List<String> scrapePort(ComposeFile compose, String host, int port) {
        Optional<ComposeFile.Service> service = compose.service(host);
        if (service.isEmpty() || service.get().role() == Role.OTHER) {
            return List.of("prometheus scrapes " + host + ", which is not a gateway or worker service");
        }
        ContainerEnvironment env = ComposeChecks.environmentOf(service.get());
        Optional<Integer> listening = ImageDefaults.effectiveInt(env, env.role().managementPortVariable());
        return listening.isPresent() && listening.get() == port ? List.of()
                : List.of("prometheus scrapes " + host + ":" + port + " but it listens on " + listening.orElse(-1));
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            if (!"row".equals(panel.path("type").asText())) {
                into.add(panel);
            }
            collectPanels(panel.path("panels"), into);
        }
    }
}
