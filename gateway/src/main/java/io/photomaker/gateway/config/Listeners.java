package io.photomaker.gateway.config;

/**
 * Where the gateway listens, as read and checked in {@link GatewayConfig}.
 *
 * @param host listen address of the API and the management port (PM_HTTP_HOST)
 * @param port the API's port, 0 for any free port (PM_HTTP_PORT)
 * @param httpInstances HTTP verticle instances (event loops serving the API)
 * @param managementPort port of /healthz, /readyz and /metrics, 0 for any free port (PM_MANAGEMENT_PORT)
 */
public record Listeners(String host, int port, int httpInstances, int managementPort) {
}
