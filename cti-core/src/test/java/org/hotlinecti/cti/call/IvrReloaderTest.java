package org.hotlinecti.cti.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.hotlinecti.cti.config.ConfigLoader;
import org.hotlinecti.cti.config.CtiConfig;
import org.hotlinecti.ivr.flow.IvrRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live reload: a changed flow file is picked up; a broken one is refused with file:line and the old flows stay. */
class IvrReloaderTest {

    @TempDir
    Path dir;

    private static String builtInFlows() throws IOException {
        try (InputStream in = IvrReloaderTest.class.getClassLoader().getResourceAsStream("ivr/flows.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private IvrRegistry registry(Path flows) {
        Path config = dir.resolve("hotline.yaml");
        try {
            Files.writeString(config, "ivr: {flows: \"" + flows + "\"}\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        CtiConfig c = new ConfigLoader(name -> null).load(config);
        return c.ivrRegistry(Clock.systemUTC());
    }

    private static final String EXTRA = """

              extra:
                start: queue
                nodes:
                  queue: {type: route}
            """;

    @Test
    void anEditedFlowFileIsActivatedByTheWatcher() throws IOException {
        Path flows = dir.resolve("flows.yaml");
        Files.writeString(flows, builtInFlows());
        IvrRegistry registry = registry(flows);
        assertThat(registry.current().flows().flow("extra")).isEmpty();

        try (IvrReloader reloader = new IvrReloader(registry, Duration.ofMillis(50))) {
            assertThat(reloader.files()).containsExactly(flows);
            Files.writeString(flows, builtInFlows() + EXTRA);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.current().flows().flow("extra").isPresent());
        }
    }

    @Test
    void aBrokenFileIsRefusedWithItsLineAndTheFlowsInForceStay() throws IOException {
        Path flows = dir.resolve("flows.yaml");
        Files.writeString(flows, builtInFlows() + EXTRA);
        IvrRegistry registry = registry(flows);
        try (IvrReloader reloader = new IvrReloader(registry, Duration.ZERO)) {
            String broken = builtInFlows() + EXTRA.replace("queue: {type: route}", "queue: {type: rout}");
            Files.writeString(flows, broken);
            reloader.check();
            assertThat(registry.current().flows().flow("extra")).isPresent();

            IvrRegistry.ReloadResult result = reloader.reload();
            assertThat(result.activated()).isFalse();
            int line = (int) broken.lines().takeWhile(l -> !l.contains("type: rout}")).count() + 1;
            assertThat(result.errors()).anySatisfy(p -> {
                assertThat(p.source()).isEqualTo(flows.toString());
                assertThat(p.line()).isEqualTo(line);
            });
            assertThat(registry.current().flows().flow("extra")).isPresent();
        }
    }
}
