package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.photomaker.common.kafka.KafkaHeaders;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Kafka header names are spelled in one place ({@link KafkaHeaders}); every other source refers to it. */
class KafkaHeaderNamesTest {

    private static final String HOME = "common/src/main/java/io/photomaker/common/kafka/KafkaHeaders.java";

    @Test
    void no_production_source_outside_kafka_headers_spells_a_header_name() throws IllegalAccessException {
        Set<String> names = headerNames();
        List<String> found = new ArrayList<>();
        for (Path source : ErrorCatalogTest.productionSources()) {
            if (!RepoLayout.relative(source).equals(HOME)) {
                ErrorCatalogTest.literalsOf(RepoLayout.read(source), names)
                        .forEach(l -> found.add(RepoLayout.relative(source) + ": \"" + l + "\""));
            }
        }
        assertEquals(List.of(), found, "use io.photomaker.common.kafka.KafkaHeaders instead of these literals");
    }

    @Test
    void the_header_names_are_the_ones_the_docs_and_deployed_consumers_know() throws IllegalAccessException {
        assertEquals(Set.of("pm-not-before", "pm-failure", "pm-work", "traceparent"), headerNames());
    }

    private static Set<String> headerNames() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field f : KafkaHeaders.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().startsWith("WORK_")) {
                names.add((String) f.get(null));
            }
        }
        return names;
    }
}
