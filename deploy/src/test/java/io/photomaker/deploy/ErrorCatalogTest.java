package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photomaker.common.errors.ErrorType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The error catalog ({@link ErrorType}) is the one definition of error types: the API document lists exactly
 * its types, and no production source spells a type as a string literal of its own.
 */
class ErrorCatalogTest {

    static final List<String> PRODUCTION_MODULES = List.of("common", "gateway", "worker", "cli", "devtools");
    private static final String CATALOG = "common/src/main/java/io/photomaker/common/errors/ErrorType.java";
    private static final Pattern STRING_LITERAL = Pattern.compile("\"([a-z][a-z0-9_-]*)\"");

    @Test
    void the_api_documents_error_answers_list_exactly_the_catalogued_http_types() {
        JsonNode type = schemas().at("/Error/properties/error/properties/type");
        assertEquals(wireNames(t -> t.httpStatus().isPresent()), enumOf(type));
    }

    @Test
    void failed_jobs_and_identities_in_the_api_document_list_exactly_the_catalogued_job_failure_types() {
        assertEquals(wireNames(ErrorType::failsJobs), enumOf(schemas().at("/Job/properties/error/properties/type")));
        assertEquals(wireNames(ErrorType::failsJobs),
                enumOf(schemas().at("/Identity/properties/error/properties/type")));
    }

    @Test
    void every_catalogued_type_is_snake_case_with_an_error_status_or_a_job_failure() {
        for (ErrorType t : ErrorType.values()) {
            assertTrue(t.wireName().matches("[a-z]+(_[a-z0-9]+)*"), t.name());
            t.httpStatus().ifPresent(s -> assertTrue(s >= 400 && s <= 599, t + " answers " + s));
            assertTrue(t.httpStatus().isPresent() || t.failsJobs(), t + " is never reported");
            assertEquals(t, ErrorType.ofWireName(t.wireName()).orElseThrow());
        }
    }

    @Test
    void no_production_source_outside_the_catalog_spells_an_error_type() {
        Set<String> names = wireNames(t -> true);
        List<String> found = new ArrayList<>();
        for (Path source : productionSources()) {
            if (!RepoLayout.relative(source).equals(CATALOG)) {
                found.addAll(literalsOf(RepoLayout.read(source), names).stream()
                        .map(l -> RepoLayout.relative(source) + ": \"" + l + "\"").toList());
            }
        }
        assertEquals(List.of(), found, "use io.photomaker.common.errors.ErrorType instead of these literals");
    }

    @Test
    void the_source_scan_finds_a_spelled_out_type_and_ignores_other_strings() {
        String source = "throw new ApiError(404, \"not_found\", \"job was not found\"); log(\"not_found_here\");";
        assertEquals(List.of("not_found"), literalsOf(source, wireNames(t -> true)));
    }

    static List<String> literalsOf(String source, Set<String> names) {
        List<String> found = new ArrayList<>();
        Matcher m = STRING_LITERAL.matcher(source);
        while (m.find()) {
            if (names.contains(m.group(1))) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    private static Set<String> wireNames(Predicate<ErrorType> which) {
        return Arrays.stream(ErrorType.values()).filter(which).map(ErrorType::wireName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> enumOf(JsonNode schema) {
        assertTrue(schema.path("enum").isArray(), "no enum at " + schema);
        Set<String> values = new TreeSet<>();
        schema.path("enum").forEach(v -> values.add(v.asText()));
        assertEquals(schema.path("enum").size(), values.size(), "duplicate enum values");
        return values;
    }

    private static JsonNode schemas() {
        try {
            return new ObjectMapper().readTree(RepoLayout.path(OpenApiLintTest.DOCUMENT).toFile())
                    .path("components").path("schemas");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> productionSources() {
        List<Path> sources = new ArrayList<>();
        for (String module : PRODUCTION_MODULES) {
            Path root = RepoLayout.path(module + "/src/main/java");
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(sources::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertTrue(sources.size() > 100, "production sources not found under " + RepoLayout.ROOT);
        return sources;
    }
}
