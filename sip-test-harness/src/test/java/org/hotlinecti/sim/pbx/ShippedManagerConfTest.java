package org.hotlinecti.sim.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.SecretPolicy;
import org.hotlinecti.cti.asterisk.AmiPbxAdapter;
import org.hotlinecti.cti.asterisk.AmiSettings;
import org.hotlinecti.cti.call.OriginateRequest;
import org.hotlinecti.cti.call.OriginateResult;
import org.hotlinecti.cti.call.PbxActionException;
import org.hotlinecti.cti.call.PbxEvent;
import org.hotlinecti.cti.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code deploy/asterisk/manager.conf} against the sim PBX: its [cti] user's read and write classes are
 * exactly enough for the CTI (login, version, resync, call actions, Originate for three-party transfers), nothing more,
 * and its
 * placeholder secret is one the CTI refuses.
 */
class ShippedManagerConfTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void theCtiUsersClassesAreEnoughForTheCtiAndNoMore() throws Exception {
        Map<String, String> cti = section("cti");
        SimPbx pbx = track(SimPbx.start(SimPbxConfig.builder().amiUser("cti", "k3J9-vQ2x-Lm8P")
                .amiRead(classes(cti.get("read"))).amiWrite(classes(cti.get("write"))).build()));
        List<PbxEvent> events = new CopyOnWriteArrayList<>();
        AmiPbxAdapter adapter = track(new AmiPbxAdapter(AmiSettings.of(pbx.host(), pbx.amiPort(), "cti",
                "k3J9-vQ2x-Lm8P", Duration.ofSeconds(2), Duration.ofSeconds(2)), events::add));

        adapter.connect();

        // CoreSettings (the version) and CoreShowChannels (the resync) are allowed
        await().until(() -> events.contains(new PbxEvent.Resynced(List.of())));
        assertThat(events.get(0)).isEqualTo(new PbxEvent.Connected("22.10.1"));
        // call actions are allowed: Asterisk answers about the channel, not about permissions
        assertThatThrownBy(() -> adapter.setVariable("PJSIP/trunk-0000dead", "CTI_AGENT", "1001")
                .toCompletableFuture().get(2, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PbxActionException.class).hasMessage("Setvar: No such channel");
        assertThatThrownBy(() -> adapter.connectToAgent("PJSIP/trunk-0000dead", "1001", Map.of())
                .toCompletableFuture().get(2, TimeUnit.SECONDS)).cause()
                .hasMessage("Redirect: Channel does not exist: PJSIP/trunk-0000dead");
        assertThatThrownBy(() -> adapter.hangup("PJSIP/trunk-0000dead", 16).toCompletableFuture()
                .get(2, TimeUnit.SECONDS)).cause().hasMessage("Hangup: No such channel");
        // Originate for the three-party transfers: allowed, its outcome comes back (here: no such endpoint)
        OriginateResult outcome = adapter.originate(new OriginateRequest("PJSIP/nosuchendpoint",
                "hotline-conference", "1795322295.1", Duration.ofSeconds(5), "13900008888", "", Map.of()))
                .toCompletableFuture().get(2, TimeUnit.SECONDS);
        assertThat(outcome).isEqualTo(new OriginateResult(false, 0, "PJSIP/nosuchendpoint", ""));
        // and nothing more: no system actions (without "system" Asterisk refuses an Originate of System or Exec)
        assertThat(classes(cti.get("write"))).containsExactlyInAnyOrder("call", "reporting", "originate");
        assertThat(classes(cti.get("write"))).doesNotContain("system", "command", "all", "config");
        assertThat(classes(cti.get("read"))).containsExactlyInAnyOrder("system", "call");
        assertThat(cti.get("deny")).isEqualTo("0.0.0.0/0.0.0.0");
        assertThat(cti).containsKey("permit");
    }

    @Test
    void theShippedPlaceholderSecretIsRefusedByTheCti() throws IOException {
        String secret = section("cti").get("secret");

        assertThatThrownBy(() -> SecretPolicy.check(secret)).isInstanceOf(ConfigException.class);
    }

    private static List<String> classes(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).toList();
    }

    /** The {@code key = value} lines of one section of the shipped manager.conf (first value of a repeated key). */
    private static Map<String, String> section(String name) throws IOException {
        Path file = Path.of(System.getProperty("user.dir")).resolve("../deploy/asterisk/manager.conf").normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("shipped manager.conf not found at " + file);
        }
        Map<String, String> values = new LinkedHashMap<>();
        String current = null;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.replaceAll(";.*$", "").trim();
            if (line.startsWith("[")) {
                current = line.substring(1, line.indexOf(']'));
            } else if (name.equals(current) && line.contains("=")) {
                int eq = line.indexOf('=');
                values.putIfAbsent(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
