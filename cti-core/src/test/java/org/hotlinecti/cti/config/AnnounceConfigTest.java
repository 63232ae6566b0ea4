package org.hotlinecti.cti.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code acd.announce}: queue position / expected wait announcements, their defaults and bad values. */
class AnnounceConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("HOTLINE_AMI_SECRET", "s3cret")::get);

    @TempDir
    Path dir;

    private CtiConfig load(String yaml) throws IOException {
        Path f = dir.resolve("hotline.yaml");
        Files.writeString(f, yaml);
        return loader.load(f);
    }

    @Test
    void byDefaultCallersHearPlaceAndWaitAtEntryAndEveryMinute() {
        CtiConfig.Announce announce = loader.defaults().acd().announce();
        assertThat(announce).isEqualTo(new CtiConfig.Announce(Duration.ofSeconds(60), Duration.ZERO, true, true));
    }

    @Test
    void anOverlayChangesSingleKeysAndZeroTurnsThemOff() throws IOException {
        CtiConfig.Announce announce = load("""
                acd:
                  announce: {interval: 0s, expected_wait: false}
                """).acd().announce();
        assertThat(announce).isEqualTo(new CtiConfig.Announce(Duration.ZERO, Duration.ZERO, true, false));
    }

    @Test
    void badValuesAreClearErrors() {
        assertThatThrownBy(() -> load("acd: {announce: {interval: 3s}}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("acd.announce.interval must be 0s (off) or at least 10s");
        assertThatThrownBy(() -> load("acd: {announce: {first_after: -1s}}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("acd.announce.first_after").hasMessageContaining("not a duration");
        assertThatThrownBy(() -> load("acd: {announce: {interval: null}}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("acd.announce.interval must be 0s (off) or positive");
        assertThatThrownBy(() -> load("acd: {announce: {every: 30s}}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'acd.announce.every'");
    }
}
