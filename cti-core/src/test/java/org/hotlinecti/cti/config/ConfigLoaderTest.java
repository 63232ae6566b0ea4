package org.hotlinecti.cti.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("HOTLINE_AMI_SECRET", "s3cret")::get);

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("hotline.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void theReferenceFileIsAValidCompleteConfiguration() {
        CtiConfig c = loader.defaults();

        assertThat(c.asterisk().ami().secret()).isEqualTo("s3cret");
        assertThat(c.asterisk().ami().port()).isEqualTo(5038);
        assertThat(c.acd().ringTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.lineDirectory().serving("12315").department()).isEqualTo("市市场监督管理局");
        assertThat(c.lineDirectory().all()).extracting(l -> l.number())
                .contains("12345", "12315", "12333", "12369");
        assertThat(c.agentProfiles()).isNotEmpty();
        assertThat(c.zoneId().getId()).isEqualTo("Asia/Shanghai");
    }

    @Test
    void aUserFileOverridesKeysAndReplacesLists() throws IOException {
        CtiConfig c = loader.load(file("""
                asterisk:
                  ami: {host: pbx.example, port: 15038}
                acd: {ring_timeout: 20s, wrap_up_max: 1.5m}
                agents:
                  - {id: "2001", name: 赵丽, extension: "2001", skills: {general: 5}}
                """));

        assertThat(c.asterisk().ami().host()).isEqualTo("pbx.example");
        assertThat(c.asterisk().ami().username()).isEqualTo("cti");
        assertThat(c.acd().ringTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.acd().wrapUpMax()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.agents()).extracting(CtiConfig.Agent::id).containsExactly("2001");
    }

    @Test
    void unknownKeysAreErrorsThatNameTheKey() throws IOException {
        Path f = file("asterisk:\n  ami:\n    hots: x\n");
        assertThatThrownBy(() -> loader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + ": unknown key 'asterisk.ami.hots'")
                .hasMessageContaining("host");
    }

    @Test
    void badValuesAndBrokenYamlAreOneLineErrors() throws IOException {
        Path badDuration = file("acd: {ring_timeout: soon}\n");
        assertThatThrownBy(() -> loader.load(badDuration)).hasMessageContaining("acd.ring_timeout")
                .hasMessageContaining("'soon' is not a duration");

        Path broken = file("acd:\n  ring_timeout: [15s\n");
        assertThatThrownBy(() -> loader.load(broken)).hasMessageContaining("not valid YAML at line");

        assertThatThrownBy(() -> loader.load(dir.resolve("missing.yaml")))
                .hasMessage("config file not found: " + dir.resolve("missing.yaml"));

        Path port = file("http: {port: 70000}\n");
        assertThatThrownBy(() -> loader.load(port)).hasMessageContaining("http.port must be 0..65535");
    }

    @Test
    void asteriskSettingsThatCannotWorkAreRefused() throws IOException {
        Path port = file("asterisk: {ami: {port: 0}}\n");
        assertThatThrownBy(() -> loader.load(port)).hasMessageContaining("asterisk.ami.port must be 1..65535, was 0");
        Path context = file("asterisk: {inbound_context: \"\"}\n");
        assertThatThrownBy(() -> loader.load(context)).hasMessageContaining("asterisk.inbound_context is empty");
        Path ring = file("acd: {ring_timeout: 1500ms}\n");
        assertThatThrownBy(() -> loader.load(ring)).hasMessageContaining("acd.ring_timeout must be whole seconds");
        assertThat(loader.defaults().asterisk().inboundContext()).isEqualTo("from-trunk");
    }

    @Test
    void variablesInListsAreExpandedToo() throws IOException {
        ConfigLoader withDept = new ConfigLoader(Map.of("HOTLINE_AMI_SECRET", "s3cret", "DEPT", "市场监管局")::get);
        CtiConfig c = withDept.load(file("lines:\n  - {number: \"12345\", name: main, department: \"${DEPT}\","
                + " skill: general}\n"));
        assertThat(c.lines().get(0).department()).isEqualTo("市场监管局");
    }

    @Test
    void agentsAndLinesAreValidated() throws IOException {
        Path dupe = file("""
                agents:
                  - {id: "1", extension: "1001", skills: {general: 5}}
                  - {id: "1", extension: "1002", skills: {general: 5}}
                """);
        assertThatThrownBy(() -> loader.load(dupe)).hasMessageContaining("agent id 1 is used twice");

        Path badExt = file("agents:\n  - {id: \"1\", extension: \"10a\", skills: {general: 5}}\n");
        assertThatThrownBy(() -> loader.load(badExt)).hasMessageContaining("extension must be digits");

        Path badLevel = file("agents:\n  - {id: \"1\", extension: \"1\", skills: {general: 12}}\n");
        assertThatThrownBy(() -> loader.load(badLevel)).hasMessageContaining("must be 1..10");

        Path noMain = file("lines:\n  - {number: \"12315\", name: a, department: b, skill: market}\n");
        assertThatThrownBy(() -> loader.load(noMain)).hasMessageContaining("main line 12345");
    }

    @Test
    void environmentVariablesExpandWithFallbacksAndMissingOnesAreNamed() throws IOException {
        ConfigLoader empty = new ConfigLoader(name -> null);
        assertThat(empty.defaults().asterisk().ami().secret()).isEmpty();
        assertThat(empty.defaults().database().username()).isEqualTo("sa");

        Path f = file("database: {url: \"${HOTLINE_DB_URL}\"}\n");
        assertThatThrownBy(() -> empty.load(f))
                .hasMessage("database.url: environment variable HOTLINE_DB_URL is not set");
    }

    @Test
    void overlaysFromParsedTreesApplyInOrder() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        CtiConfig c = loader.load(List.of(
                loader.overlay("first", yaml.readTree("http: {port: 9000}")),
                loader.overlay("second", yaml.readTree("http: {bind: 0.0.0.0}"))));

        assertThat(c.http().port()).isEqualTo(9000);
        assertThat(c.http().bind()).isEqualTo("0.0.0.0");
    }
}
