package org.hotlinecti.cti.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.hotlinecti.acd.AcdSetup;
import org.hotlinecti.acd.BackoffPolicy;
import org.hotlinecti.acd.ExitTarget;
import org.hotlinecti.acd.QueueConfig;
import org.hotlinecti.acd.ReserveRule;
import org.hotlinecti.acd.SkillRequirement;
import org.hotlinecti.acd.Strategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code acd:} section's routing options bind into the engine's setup, and bad values are clear errors. */
class AcdConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("HOTLINE_AMI_SECRET", "s3cret")::get);

    @TempDir
    Path dir;

    private CtiConfig load(String yaml) throws IOException {
        Path f = dir.resolve("hotline.yaml");
        Files.writeString(f, yaml);
        return loader.load(f);
    }

    @Test
    void theDefaultsAreClassicRonaLongestIdleAndNoQueues() {
        AcdSetup setup = loader.defaults().acdSetup();
        assertThat(setup.settings().serviceLevel()).isEqualTo(Duration.ofSeconds(15));
        assertThat(setup.settings().priorityBoost()).isEqualTo(Duration.ofSeconds(60));
        assertThat(setup.settings().backoff()).isEqualTo(BackoffPolicy.MANUAL);
        assertThat(setup.settings().defaultStrategy()).isEqualTo(Strategy.LONGEST_IDLE);
        assertThat(setup.queues()).isEmpty();
        assertThat(setup.pools()).isEmpty();
    }

    @Test
    void queuesRelaxationReservesOverflowAndPoolsBind() throws IOException {
        AcdSetup setup = load("""
                acd:
                  backoff: {no_answer: 30s, busy: 10s, auto_break_after: 3}
                  pools:
                    - skill: leader
                      windows: [{dates: ["2026-03-05"], from: "09:00", to: "11:00"}]
                  queues:
                    - name: market
                      strategy: most-skilled
                      boost: 10s
                      steps:
                        - {after: 0s, any_of: {market: 8}}
                        - {after: 20s, any_of: {market: 5}}
                        - {after: 60s, any_of: {general: 1, leader: 1}}
                      max_wait: 120s
                      max_wait_target: queue:general
                      diversion: {max_calls_per_agent: 4.0, target: queue:general}
                      open: [{days: [MON, TUE, WED, THU, FRI], from: "08:30", to: "17:30"}]
                      closed_target: queue:general
                      reserves:
                        - {skill: market_reserve, activate_above: 15s, deactivate_at_or_below: 5s}
                      rejoin_window: 5m
                    - name: general
                      steps: [{after: 0s, any_of: {general: 1}}]
                """).acdSetup();

        assertThat(setup.settings().backoff()).isEqualTo(new BackoffPolicy(Duration.ofSeconds(30),
                Duration.ofSeconds(10), null, null, 3));
        QueueConfig market = setup.queues().get(0);
        assertThat(market.strategy()).isEqualTo(Strategy.MOST_SKILLED);
        assertThat(market.steps()).hasSize(3);
        assertThat(market.steps().get(1).anyOf()).containsExactly(new SkillRequirement("market", 5));
        assertThat(market.maxWaitTarget()).isEqualTo(ExitTarget.queue("general"));
        assertThat(market.diversion().maxCallsPerAgent()).isEqualTo(4.0);
        assertThat(market.reserves()).containsExactly(new ReserveRule("market_reserve", 1,
                ReserveRule.Basis.OLDEST_WAIT, Duration.ofSeconds(15), Duration.ofSeconds(5)));
        assertThat(market.rejoinWindow()).isEqualTo(Duration.ofMinutes(5));
        // 2026-03-05 10:00 in Shanghai is inside the leaders' window
        assertThat(setup.pools().get("leader").isOn(LocalDate.of(2026, 3, 5).atTime(10, 0)
                .atZone(java.time.ZoneId.of("Asia/Shanghai")).toInstant())).isTrue();
    }

    @Test
    void aQueueMayExitToVoicemail() throws IOException {
        AcdSetup setup = load("""
                acd:
                  queues: [{name: q, steps: [{after: 0s, any_of: {general: 1}}], max_wait: 60s,
                            max_wait_target: voicemail}]
                """).acdSetup();
        assertThat(setup.queues().get(0).maxWaitTarget()).isEqualTo(ExitTarget.VOICEMAIL);
        assertThat(load("""
                acd:
                  queues: [{name: q, steps: [{after: 0s, any_of: {general: 1}}], max_wait: 60s,
                            max_wait_target: callback}]
                """).acdSetup().queues().get(0).maxWaitTarget()).isEqualTo(ExitTarget.CALLBACK);
    }

    @Test
    void badRoutingValuesAreClearErrors() {
        assertThatThrownBy(() -> load("""
                acd:
                  queues: [{name: q, strategy: fastest, steps: [{after: 0s, any_of: {general: 1}}]}]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("acd.queues[0] (q)")
                .hasMessageContaining("unknown strategy 'fastest'");
        assertThatThrownBy(() -> load("""
                acd:
                  queues: [{name: q, steps: [{after: 0s, any_of: {general: 1}}], max_wait: 60s,
                            max_wait_target: mailbox}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("exit target must be voicemail, callback or queue:NAME");
        assertThatThrownBy(() -> load("""
                acd:
                  queues: [{name: q, steps: [{after: 0s, any_of: {general: 1}}], max_wait: 60s,
                            max_wait_target: queue:nowhere}]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("no queue named 'nowhere'");
        assertThatThrownBy(() -> load("""
                acd:
                  queues: [{name: q, steps: [{after: 5s, any_of: {general: 1}}]}]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("must start at 0 s");
        assertThatThrownBy(() -> load("""
                acd:
                  pools: [{skill: leader, windows: [{days: [FUNDAY], from: "09:00", to: "10:00"}]}]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("not a weekday");
        assertThatThrownBy(() -> load("""
                acd:
                  queues: [{name: q, steps: [{after: 0s, any_of: {general: 1}}], typo: 1}]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("unknown key");
    }
}
