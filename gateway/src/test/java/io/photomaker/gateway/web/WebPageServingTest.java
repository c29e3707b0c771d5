package io.photomaker.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.job.JobDefaults;
import io.photomaker.common.job.JobRequestValidator;
import io.photomaker.common.prompt.StyleTemplates;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.SharedInfra;
import io.photomaker.gateway.support.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web page and its assets as a browser receives them: types, security headers and the form's choices. */
class WebPageServingTest {
    static TestGateway gw;
    static ApiClient api;
    static String page;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(TestGateway.config(1000, 1000, TestGateway.tenant("web")));
        api = gw.client();
        page = api.get("/", null).text();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static List<String> all(String regex, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        while (m.find()) {
            out.add(m.group(1).trim());
        }
        return out;
    }

    @Test
    void the_page_and_its_assets_come_with_their_types_and_a_same_origin_policy() {
        String s3 = "http://127.0.0.1:" + SharedInfra.get().embeddedS3().port();
        String[][] cases = {{"/", "text/html; charset=utf-8"}, {"/web/app.js", "text/javascript; charset=utf-8"},
            {"/web/app.css", "text/css; charset=utf-8"}};
        for (String[] c : cases) {
            ApiClient.Response r = api.get(c[0], null);
            assertEquals(200, r.status(), c[0]);
            assertEquals(c[1], r.header("Content-Type"), c[0]);
            assertEquals("nosniff", r.header("X-Content-Type-Options"), c[0]);
            String csp = r.header("Content-Security-Policy");
            assertTrue(csp.startsWith("default-src 'none'; script-src 'self'; style-src 'self';"), csp);
            // Outputs are fetched through redirects to the object store, so its origin (and only it) is added.
            assertTrue(csp.contains("connect-src 'self' " + s3 + ";"), csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        }
        assertEquals(400, api.get("/web/other.js", null).status());
    }

    @Test
    void nothing_is_inline_and_nothing_comes_from_another_site() {
        assertEquals(List.of("/web/app.js"), all("<script[^>]*src=\"([^\"]+)\"", page));
        assertEquals(1, all("(<script)", page).size(), "every script is a file");
        assertFalse(page.contains("style=\""), "no inline styles");
        assertFalse(page.matches("(?s).*\\son[a-z]+=\".*"), "no inline event handlers");
        for (String path : List.of("/", "/web/app.js", "/web/app.css")) {
            String body = api.get(path, null).text();
            assertFalse(Pattern.compile("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}").matcher(body).find(),
                    path + " refers to another site");
        }
    }

    @Test
    void the_form_offers_every_style_template_and_only_sizes_the_api_accepts() {
        assertEquals(StyleTemplates.names(), all("<option(?: selected)?>([^<]+)</option>", page));
        List<String> sizes = all("<option value=\"(\\d+x\\d+)\"", page);
        assertTrue(sizes.containsAll(List.of("1024x1024", "512x512", "1152x896", "896x1152", "1216x832",
                "832x1216", "1344x768", "768x1344", "1536x640", "640x1536")), sizes.toString());
        for (String size : sizes) {
            for (String side : size.split("x")) {
                int v = Integer.parseInt(side);
                assertTrue(v % JobRequestValidator.SIZE_MULTIPLE == 0 && v >= JobRequestValidator.MIN_SIZE
                        && v <= JobRequestValidator.MAX_SIZE, size);
            }
        }
    }

    @Test
    void the_form_starts_with_the_api_defaults() {
        assertFalse(page.contains("{{"), "every placeholder is filled");
        assertTrue(page.contains("id=\"steps\" name=\"steps\" type=\"number\" min=\"1\" max=\"100\" step=\"1\" value=\""
                + JobDefaults.NUM_STEPS + "\""), "steps");
        assertTrue(page.contains("value=\"" + JobDefaults.NUM_OUTPUTS + "\">"), "outputs");
        assertTrue(page.contains("value=\"5\">") && JobDefaults.GUIDANCE_SCALE == 5.0, "guidance");
        assertTrue(page.contains("data-default=\"" + JobDefaults.STYLE + "\""), "style");
        assertTrue(all("<option(?: selected)?>([^<]+)</option>", page).contains(JobDefaults.STYLE));
        assertTrue(page.contains("data-default=\"" + JobDefaults.WIDTH + "x" + JobDefaults.HEIGHT + "\""), "size");
        assertTrue(page.contains(">" + JobDefaults.NEGATIVE_PROMPT + "</textarea>"), "negative prompt");
    }

    @Test
    void every_control_has_a_label_and_the_stable_ids_exist() {
        for (String id : List.of("api-key", "photos", "prompt", "negative-prompt", "style", "size", "steps", "guidance",
                "style-strength", "seed", "num-outputs")) {
            assertTrue(page.contains("<label for=\"" + id + "\">"), id + " has no label");
            assertTrue(page.contains("id=\"" + id + "\""), id);
        }
        for (String id : List.of("submit", "status", "progress", "results", "error", "job-id")) {
            assertTrue(page.contains("id=\"" + id + "\""), id);
        }
    }

    @Test
    void the_policy_leaves_out_an_origin_it_cannot_read() {
        assertNull(WebAssets.origin("not a url"));
        assertEquals("https://bucket.s3.eu-west-1.amazonaws.com", WebAssets.origin(
                "https://bucket.s3.eu-west-1.amazonaws.com/outputs/x.png?X-Amz-Signature=1"));
        assertTrue(WebAssets.contentSecurityPolicy(null).contains("connect-src 'self';"));
    }
}
