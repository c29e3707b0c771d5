package io.photomaker.devtools;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches this JVM's logging to the launcher's {@code logback-json.xml} (what PM_LOG_FORMAT=json selects)
 * and keeps every line its encoder writes, so tests can read the JSON a deployment would see.
 * Closing puts the default configuration back.
 */
final class JsonLogCapture implements AutoCloseable {
    private final LoggerContext context;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private JsonLogCapture(LoggerContext context) {
        this.context = context;
    }

    static JsonLogCapture start() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        JoranConfigurator config = new JoranConfigurator();
        config.setContext(ctx);
        config.doConfigure(JsonLogCapture.class.getClassLoader().getResource("logback-json.xml"));
        JsonLogCapture capture = new JsonLogCapture(ctx);
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) root.getAppender("OUT")).getEncoder();
        AppenderBase<ILoggingEvent> keeper = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                capture.lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8).strip());
            }
        };
        keeper.setContext(ctx);
        keeper.start();
        root.addAppender(keeper);
        return capture;
    }

    /** Every line written so far, as encoded. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Every line written so far, parsed. */
    List<JsonNode> records() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines) {
            try {
                out.add(Json.mapper().readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON log line: " + line, e);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        context.reset();
        new ContextInitializer(context).autoConfig();
    }
}
