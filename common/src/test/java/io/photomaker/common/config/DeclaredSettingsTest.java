package io.photomaker.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclaredSettingsTest {

    private final SettingRegistry registry = new SettingRegistry("test");
    private final Setting port = registry.integer("PM_TEST_PORT", 8080, 0, 65_535, "A port.");
    private final Setting drain = registry.seconds("PM_TEST_DRAIN_SECONDS", 120, 0, 3600, "A drain time.");
    private final Setting flag = registry.bool("PM_TEST_FLAG", true, "A flag.");
    private final Setting mode = registry.choice("PM_TEST_MODE", "text", "text", List.of("text", "json"), "A mode.");
    private final Setting computed = registry.integerComputed("PM_TEST_BUDGET", "a share of the heap", 1, 100,
            "A budget.");

    @Test
    void an_unset_setting_reads_as_its_declared_default() {
        Settings none = Settings.of(Map.of());
        assertEquals(8080, none.integer(port));
        assertEquals(Duration.ofSeconds(120), none.seconds(drain));
        assertTrue(none.bool(flag));
        assertEquals("text", none.string(mode));
        assertEquals(42, none.integer(computed, 42));
    }

    @Test
    void a_value_outside_the_declared_bounds_fails_naming_the_setting() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Settings.of(Map.of("PM_TEST_PORT", "70000")).integer(port));
        assertEquals("PM_TEST_PORT=70000 is outside 0..65535", e.getMessage());
        assertThrows(ConfigException.class, () -> Settings.of(Map.of("PM_TEST_BUDGET", "0")).integer(computed, 42));
    }

    @Test
    void a_choice_outside_the_declared_words_fails_and_case_does_not_matter() {
        assertEquals("JSON", Settings.of(Map.of("PM_TEST_MODE", "JSON")).string(mode));
        ConfigException e = assertThrows(ConfigException.class,
                () -> Settings.of(Map.of("PM_TEST_MODE", "xml")).string(mode));
        assertEquals("PM_TEST_MODE must be one of [text, json], was xml", e.getMessage());
    }

    @Test
    void reading_a_setting_as_another_type_or_without_its_computed_default_is_a_programming_error() {
        Settings none = Settings.of(Map.of());
        assertThrows(IllegalStateException.class, () -> none.bool(port));
        assertThrows(IllegalStateException.class, () -> none.integer(computed));
    }

    @Test
    void a_name_declared_twice_or_a_default_outside_its_bounds_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> registry.bool("PM_TEST_FLAG", false, "Again."));
        assertThrows(IllegalArgumentException.class, () -> registry.integer("PM_TEST_X", 5, 10, 20, "Out."));
        assertThrows(IllegalArgumentException.class, () -> SettingRegistry.of("all", List.of(registry, registry)));
    }

    @Test
    void accepts_checks_what_a_manifest_may_give() {
        assertTrue(port.accepts("0"));
        assertFalse(port.accepts("65536"));
        assertFalse(port.accepts("80a"));
        assertFalse(flag.accepts("maybe"));
        assertTrue(flag.accepts("off"));
        assertTrue(mode.accepts("json"));
        assertFalse(mode.accepts("xml"));
    }

    @Test
    void the_reference_has_one_row_per_setting_with_default_and_range() {
        String md = SettingsReference.markdown(List.of(registry));
        assertTrue(md.contains("| `PM_TEST_PORT` | integer | 8080 | 0..65535 | A port. |"), md);
        assertTrue(md.contains("| `PM_TEST_BUDGET` | integer | a share of the heap | 1..100 | A budget. |"), md);
        assertEquals(5, md.lines().filter(l -> l.startsWith("| `PM_TEST_")).count());
    }
}
