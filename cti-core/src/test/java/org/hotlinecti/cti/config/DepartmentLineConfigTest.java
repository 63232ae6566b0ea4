package org.hotlinecti.cti.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.time.Clock;
import java.util.Optional;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.LineMode;
import org.hotlinecti.ivr.SubCentre;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line keys (mode, hours, flow, merged notice, sub-centre, pool options) and recording_dir. */
class DepartmentLineConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("HOTLINE_AMI_SECRET", "s3cret")::get);

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("hotline.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void eachLineBecomesAFullDepartmentLine() throws IOException {
        CtiConfig c = loader.load(file("""
                lines:
                  - number: "12345"
                    name: 12345热线
                    department: 中心
                    skill: general
                    flow: main-with-menu
                    menu:
                      "1": {label: 涉企服务, skill: enterprise}
                  - {number: "12315", name: 12315, department: 市场监管局, skill: market, mode: sub_centre,
                     hours: office, sub_centre: {number: "88001234", trunk: sc12315, answer_timeout: 15s}}
                  - {number: "12369", name: 12369, department: 生态环境局, skill: environment,
                     merged_notice: hotline/merged-12369}
                  - {number: "12333", name: 12333, department: 人社局, skill: social_security, mode: parallel,
                     priority: 2, hours: office, pool_when_closed: true}
                  - {number: "12310", name: 12310, department: 国家安全局, skill: general, mode: sub_centre,
                     pool_fallback: false, sub_centre: {number: "87012310"}}
                """));

        LineDirectory lines = c.lineDirectory();
        DepartmentLine main = lines.find("12345").orElseThrow();
        assertThat(main.mode()).isEqualTo(LineMode.MAIN);
        assertThat(main.flowId()).isEqualTo("main-with-menu");
        assertThat(main.hoursId()).isEqualTo("7x24");
        assertThat(main.menu()).containsOnlyKeys("1");
        assertThat(main.welcomePrompt()).isEqualTo("hotline/welcome-12345");

        DepartmentLine sub = lines.find("12315").orElseThrow();
        assertThat(sub.mode()).isEqualTo(LineMode.SUB_CENTRE);
        assertThat(sub.flowId()).isEqualTo("sub-centre");
        assertThat(sub.hoursId()).isEqualTo("office");
        assertThat(sub.subCentre()).contains(new SubCentre("88001234", Optional.of("sc12315"),
                Duration.ofSeconds(15)));
        assertThat(sub.poolFallback()).isTrue();
        // a sub-centre line greets as 12345
        assertThat(sub.welcomePrompt()).isEqualTo("hotline/welcome-12345");

        DepartmentLine merged = lines.find("12369").orElseThrow();
        assertThat(merged.mode()).isEqualTo(LineMode.MERGED);
        assertThat(merged.mergedNotice()).contains("hotline/merged-12369");

        DepartmentLine parallel = lines.find("12333").orElseThrow();
        assertThat(parallel.mode()).isEqualTo(LineMode.PARALLEL);
        assertThat(parallel.priority()).isEqualTo(2);
        assertThat(parallel.poolWhenClosed()).isTrue();
        assertThat(parallel.welcomePrompt()).isEqualTo("hotline/welcome-12333");

        DepartmentLine noFallback = lines.find("12310").orElseThrow();
        assertThat(noFallback.poolFallback()).isFalse();
        assertThat(noFallback.subCentre().orElseThrow().trunk()).isEmpty();
        assertThat(noFallback.subCentre().orElseThrow().answerTimeout()).isEqualTo(Duration.ofSeconds(20));

        // the IVR checks the lines against the flows and hours
        assertThat(c.ivrRegistry(Clock.systemUTC()).current().lineDirectory().all()).hasSize(5);
        assertThat(c.asterisk().recordingDir()).isEqualTo("/var/spool/asterisk/monitor");
    }

    @Test
    void openingHoursAreTheCentresLocalHoursWhateverTheClocksZone() {
        CtiConfig c = loader.defaults();
        // 02:00 UTC on a Monday is 10:00 in Asia/Shanghai: office hours
        Clock utc = Clock.fixed(java.time.Instant.parse("2026-03-02T02:00:00Z"), java.time.ZoneOffset.UTC);
        assertThat(c.ivrRegistry(utc).current().calendar().isOpen("office")).isTrue();
        Clock night = Clock.fixed(java.time.Instant.parse("2026-03-02T12:00:00Z"), java.time.ZoneOffset.UTC);
        assertThat(c.ivrRegistry(night).current().calendar().isOpen("office")).isFalse();
    }

    @Test
    void theInterimLineKeysAreGone() throws IOException {
        Path closed = file("""
                lines:
                  - {number: "12345", name: a, department: b, skill: general, closed: true}
                """);
        assertThatThrownBy(() -> loader.load(closed)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key").hasMessageContaining("closed");
        Path transferKey = file("""
                lines:
                  - {number: "12345", name: a, department: b, skill: general,
                     menu: {"9": {label: 120, transfer: "120"}}}
                """);
        assertThatThrownBy(() -> loader.load(transferKey)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key").hasMessageContaining("transfer");
    }

    @Test
    void aLineWithUnknownHoursOrFlowIsAConfigErrorWithItsNumber() throws IOException {
        Path hours = file("""
                lines:
                  - {number: "12345", name: a, department: b, skill: general}
                  - {number: "12315", name: a, department: b, skill: market, hours: nights}
                """);
        assertThatThrownBy(() -> loader.load(hours)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ivr: lines: error: line 12315: unknown hours 'nights'");
        Path flow = file("""
                lines:
                  - {number: "12345", name: a, department: b, skill: general}
                  - {number: "12315", name: a, department: b, skill: market, flow: nowhere}
                """);
        assertThatThrownBy(() -> loader.load(flow)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 12315: flow 'nowhere' is not in the flow set");
    }

    @Test
    void aBrokenFlowFileStopsTheStartWithItsFileAndLine() throws IOException {
        Path flows = dir.resolve("flows.yaml");
        Files.writeString(flows, "flows:\n  main:\n    start: welcome\n    nodes:\n      welcome: {type: wait}\n");
        Path config = file("ivr: {flows: \"" + flows + "\"}\n");
        assertThatThrownBy(() -> loader.load(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(flows + ":5: error:").hasMessageContaining("unknown node type 'wait'");
    }

    @Test
    void inconsistentLinesAndARelativeRecordingDirAreOneLineErrors() throws IOException {
        Path noNumber = file("""
                lines:
                  - {number: "12345", name: a, department: b, skill: general, mode: sub_centre}
                """);
        assertThatThrownBy(() -> loader.load(noNumber)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("lines: line 12345: mode sub_centre needs sub_centre");
        Path badMode = file("""
                lines:
                  - {number: "12345", name: a, department: b, skill: general, mode: branch}
                """);
        assertThatThrownBy(() -> loader.load(badMode)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 12345: mode 'branch' is not one of main, merged");
        Path halfSeconds = file("""
                lines:
                  - {number: "12345", name: a, department: b, skill: general, mode: sub_centre,
                     sub_centre: {number: "88001234", answer_timeout: 1500ms}}
                """);
        assertThatThrownBy(() -> loader.load(halfSeconds)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sub_centre.answer_timeout must be whole positive seconds");

        Path relative = file("asterisk: {recording_dir: spool/monitor}\n");
        assertThatThrownBy(() -> loader.load(relative)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("asterisk.recording_dir must be an absolute path");
    }
}
