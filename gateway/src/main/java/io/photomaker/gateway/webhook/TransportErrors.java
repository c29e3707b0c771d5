package io.photomaker.gateway.webhook;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Names why a webhook try got no answer, for the delivery log the tenant reads: the kind of failure only, never
 * the exception's own text, which carries resolved addresses, ports and library internals.
 */
final class TransportErrors {
    private TransportErrors() {
    }

    /** The resolver pool had no room for another lookup. */
    static final class ResolverBusy extends RuntimeException {
        ResolverBusy() {
            super("resolver busy", null, false, false);
        }
    }

    static String describe(Throwable cause) {
        if (cause instanceof ResolverBusy) {
            return "no response: the gateway is resolving too many receiver hosts right now";
        }
        if (cause instanceof TimeoutException || cause instanceof NoStackTraceTimeoutException) {
            return "no response in time";
        }
        if (cause instanceof UnknownHostException) {
            return "no response: the receiver's host name does not resolve";
        }
        if (cause instanceof SSLException) {
            return "no response: the TLS handshake with the receiver failed";
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return "no response: the receiver refused or did not accept the connection";
        }
        if (cause instanceof HttpClosedException) {
            return "no response: the receiver closed the connection";
        }
        if (cause instanceof ConnectionPoolTooBusyException) {
            return "no response: too many tries to this receiver are waiting";
        }
        return "no response: the connection to the receiver failed";
    }
}
