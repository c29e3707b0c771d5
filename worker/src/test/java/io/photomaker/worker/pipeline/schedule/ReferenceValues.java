package io.photomaker.worker.pipeline.schedule;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** The float64 reference values of schedule-reference/reference.txt (see generate.py beside it). */
final class ReferenceValues {

    private static final Map<String, double[]> VALUES = load();

    private ReferenceValues() {
    }

    static double[] get(String key) {
        double[] values = VALUES.get(key);
        if (values == null) {
            throw new IllegalArgumentException("no reference values for " + key);
        }
        return values.clone();
    }

    static double single(String key) {
        return get(key)[0];
    }

    private static Map<String, double[]> load() {
        Map<String, double[]> values = new HashMap<>();
        try (InputStream in = ReferenceValues.class.getResourceAsStream("/schedule-reference/reference.txt")) {
            if (in == null) {
                throw new IllegalStateException("schedule-reference/reference.txt missing from test resources");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                values.put(parts[0], Arrays.stream(parts, 1, parts.length).mapToDouble(Double::parseDouble).toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}
