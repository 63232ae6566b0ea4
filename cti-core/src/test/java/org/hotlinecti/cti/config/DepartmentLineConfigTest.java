package org.hotlinecti.cti.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.hotlinecti.cti.call.LineBehaviour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line keys of the interim flow runner (closed, mode, sub_centre, transfer and end keys) and recording_dir. */
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
    void closedSubCentreAndTransferKeysAreReadPerLine() throws IOException {
        CtiConfig c = loader.load(file("""
                lines:
                  - number: "12345"
                    name: 12345热线
                    department: 中心
                    skill: general
                    menu:
                      "1": {label: 涉企服务, skill: enterprise}
                      "9": {label: 120急救, transfer: "120", three_party: true}
                  - {number: "12315", name: 12315, department: 市场监管局, skill: market, mode: sub_centre,
                     sub_centre: {number: "88001234", trunk: sc12315, answer_timeout: 15s}}
                  - {number: "12369", name: 12369, department: 生态环境局, skill: environment, closed: true}
                """));

        Map<String, LineBehaviour> b = c.lineBehaviours();
        assertThat(b.get("12345").keys()).containsOnlyKeys("9");
        assertThat(b.get("12345").keys().get("9")).isEqualTo(
                new LineBehaviour.TransferKey("120急救", "120", true, Duration.ofSeconds(30)));
        assertThat(b.get("12315").subCentre()).isEqualTo(
                new LineBehaviour.SubCentre("88001234", "sc12315", Duration.ofSeconds(15)));
        assertThat(b.get("12369").closed()).isTrue();
        // transfer keys are not routing choices of the walking skeleton's menu
        assertThat(c.lineDirectory().find("12345").orElseThrow().menu()).containsOnlyKeys("1");
        assertThat(c.asterisk().recordingDir()).isEqualTo("/var/spool/asterisk/monitor");
    }

    @Test
    void inconsistentLinesAndARelativeRecordingDirAreOneLineErrors() throws IOException {
        Path noNumber = file("""
                lines:
                  - {number: "12345", name: a, department: b, skill: general, mode: sub_centre}
                """);
        assertThatThrownBy(() -> loader.load(noNumber)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("lines: line 12345: mode sub_centre needs sub_centre.number");

        Path relative = file("asterisk: {recording_dir: spool/monitor}\n");
        assertThatThrownBy(() -> loader.load(relative)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("asterisk.recording_dir must be an absolute path");
    }
}
