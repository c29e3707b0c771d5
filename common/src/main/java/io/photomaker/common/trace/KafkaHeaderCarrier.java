package io.photomaker.common.trace;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads and writes propagation fields ({@code traceparent}, {@code tracestate}) as UTF-8 Kafka record
 * headers. Setting a field replaces any header of that name, so a re-sent record carries one parent.
 */
final class KafkaHeaderCarrier implements TextMapGetter<Headers>, TextMapSetter<Headers> {
    static final KafkaHeaderCarrier INSTANCE = new KafkaHeaderCarrier();

    private KafkaHeaderCarrier() {
    }

    @Override
    public void set(Headers headers, String key, String value) {
        if (headers == null) {
            return;
        }
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Iterable<String> keys(Headers headers) {
        List<String> keys = new ArrayList<>();
        for (Header h : headers) {
            keys.add(h.key());
        }
        return keys;
    }

    @Override
    public String get(Headers headers, String key) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
