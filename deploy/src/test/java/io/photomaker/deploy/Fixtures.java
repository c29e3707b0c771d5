package io.photomaker.deploy;

/**
 * Small, valid manifest snippets for the negative tests: each test breaks exactly one thing in a
 * copy and expects exactly that violation. FixturesTest keeps them valid.
 */
final class Fixtures {

    static final String COMMON_CONFIG = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: photomaker-common}
            data:
              PM_KAFKA_BOOTSTRAP: kafka.photomaker.svc:9092
              PM_TOPIC_PARTITIONS: "12"
              PM_S3_ENDPOINT: https://s3.example.com
              PM_S3_BUCKET: photomaker-data
            """;

    static final String JOBS_TOPIC = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaTopic
            metadata:
              name: photomaker-jobs
              labels: {strimzi.io/cluster: photomaker-kafka}
            spec:
              topicName: photomaker.jobs
              partitions: 12
              replicas: 3
              config: {cleanup.policy: delete, retention.ms: 604800000, min.insync.replicas: 2}
            """;

    static final String WORKER = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: photomaker-worker}
            spec:
              template:
                spec:
                  terminationGracePeriodSeconds: 150
                  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                  containers:
                    - name: worker
                      image: photomaker/worker:0.1.0
                      ports: [{name: metrics, containerPort: 9404}]
                      env:
                        - {name: PM_MODELS_DIR, value: /models}
                        - {name: PM_EXECUTION_PROVIDER, value: cuda}
                        - {name: PM_DRAIN_SECONDS, value: "120"}
                        - {name: PM_METRICS_PORT, value: "9404"}
                      envFrom:
                        - configMapRef: {name: photomaker-common}
                        - secretRef: {name: photomaker-s3}
                      resources:
                        requests: {cpu: "2", nvidia.com/gpu: 1}
                        limits: {nvidia.com/gpu: 1}
                      livenessProbe: {httpGet: {path: /healthz, port: metrics}}
                      readinessProbe: {httpGet: {path: /readyz, port: metrics}}
                      volumeMounts: [{name: models, mountPath: /models, readOnly: true}]
                  volumes:
                    - {name: models, persistentVolumeClaim: {claimName: photomaker-models, readOnly: true}}
            """;

    static final String MODELS_PVC = """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: photomaker-models}
            spec: {accessModes: [ReadOnlyMany], resources: {requests: {storage: 20Gi}}}
            """;

    static final String SCALED_OBJECT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: photomaker-worker}
            spec:
              scaleTargetRef: {name: photomaker-worker}
              minReplicaCount: 1
              maxReplicaCount: 12
              triggers:
                - type: kafka
                  metadata:
                    bootstrapServers: kafka.photomaker.svc:9092
                    consumerGroup: photomaker-workers
                    topic: photomaker.jobs
                    lagThreshold: "2"
                    activationLagThreshold: "0"
                    offsetResetPolicy: earliest
            """;

    static final String GATEWAY = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: photomaker-gateway}
            spec:
              template:
                spec:
                  containers:
                    - name: gateway
                      image: photomaker/gateway:0.1.0
                      ports: [{name: http, containerPort: 8080}, {name: management, containerPort: 9090}]
                      env: [{name: PM_HTTP_PORT, value: "8080"}, {name: PM_MANAGEMENT_PORT, value: "9090"}]
                      envFrom:
                        - configMapRef: {name: photomaker-common}
                        - secretRef: {name: photomaker-api}
                      resources: {requests: {cpu: 500m}}
                      livenessProbe: {httpGet: {path: /healthz, port: management}}
                      readinessProbe: {httpGet: {path: /readyz, port: management}}
            """;

    static final String GATEWAY_HPA = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: photomaker-gateway}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: photomaker-gateway}
              minReplicas: 2
              maxReplicas: 10
              metrics:
                - type: Resource
                  resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
            """;

    private Fixtures() {
    }

    /** All snippets together: a complete, valid miniature deployment. */
    static String all() {
        return String.join("---\n", COMMON_CONFIG, JOBS_TOPIC, WORKER, MODELS_PVC, SCALED_OBJECT, GATEWAY, GATEWAY_HPA);
    }

    /** The miniature deployment with one textual replacement, which must occur exactly once. */
    static Manifests with(String from, String to) {
        return Manifests.fromYaml("fixture", replaceOnce(all(), from, to));
    }

    /** Breaks a valid text in one place only, so a negative test cannot pass by breaking more. */
    static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("fixture text must occur exactly once: " + from);
        }
        return text.replace(from, to);
    }

    static Manifests valid() {
        return Manifests.fromYaml("fixture", all());
    }
}
