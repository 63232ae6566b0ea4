package org.hotlinecti.cti.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.hotlinecti.ivr.flow.IvrRegistry;
import org.hotlinecti.ivr.yaml.Problem;
import org.junit.jupiter.api.Test;

/** {@code POST /api/ivr/reload}: the reload's problems as JSON, 400 when the files were refused. */
class WebServerIvrReloadTest extends WebServerFixture {

    private final AtomicReference<IvrRegistry.ReloadResult> next = new AtomicReference<>();

    @Test
    void withoutAnIvrTheEndpointIs404() throws Exception {
        assertThat(post("/api/ivr/reload", "").statusCode()).isEqualTo(404);
    }

    @Test
    void anActivatedReloadIs200WithItsWarnings() throws Exception {
        server.ivrAdmin(next::get);
        next.set(new IvrRegistry.ReloadResult(true, List.of(new Problem("/etc/hotline/flows.yaml", 12,
                Problem.Severity.WARNING, "node x is never reached"))));

        HttpResponse<String> response = post("/api/ivr/reload", "");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.get("activated").asBoolean()).isTrue();
        assertThat(body.get("problems").get(0).get("line").asInt()).isEqualTo(12);
        assertThat(body.get("problems").get(0).get("severity").asText()).isEqualTo("warning");
    }

    @Test
    void aRefusedReloadIs400ListingEveryProblemWithFileAndLine() throws Exception {
        server.ivrAdmin(next::get);
        next.set(new IvrRegistry.ReloadResult(false, List.of(
                new Problem("/etc/hotline/flows.yaml", 178, Problem.Severity.ERROR, "unknown node type 'rout'"),
                new Problem("/etc/hotline/flows.yaml", 176, Problem.Severity.ERROR, "start: 'queue' is not a node"))));

        HttpResponse<String> response = post("/api/ivr/reload", "");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.get("activated").asBoolean()).isFalse();
        assertThat(body.get("error").asText()).contains("2 error(s)");
        assertThat(body.get("problems")).hasSize(2);
        assertThat(body.get("problems").get(0).get("file").asText()).isEqualTo("/etc/hotline/flows.yaml");
        assertThat(body.get("problems").get(0).get("line").asInt()).isEqualTo(178);
        assertThat(body.get("problems").get(0).get("message").asText()).isEqualTo("unknown node type 'rout'");
    }
}
