package org.hotlinecti.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RecordingLayoutTest {

    private final RecordingLayout layout = new RecordingLayout(Path.of("/var/spool/hotline"),
            ZoneId.of("Asia/Shanghai"));

    @Test
    void filesAreGroupedByDayInTheCentresZone() {
        // 16:30 UTC on 22 Nov is 00:30 on 23 Nov in Shanghai
        assertThat(layout.pathOf("1795322295.2", Instant.parse("2026-11-22T16:30:00Z")))
                .isEqualTo(Path.of("/var/spool/hotline/2026/11/23/rec-1795322295.2.wav"));
    }

    @Test
    void voicemailsHaveTheirOwnTreeDatedInTheCentresZoneAndNoExtension() {
        assertThat(layout.voicemailName("1795322295.2", Instant.parse("2026-11-22T16:30:00Z")))
                .isEqualTo("voicemail/2026/11/23/vm-1795322295.2");
        assertThatThrownBy(() -> layout.voicemailName("../x", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsIdsThatCouldEscapeTheRoot() {
        assertThatThrownBy(() -> RecordingLayout.fileName("../../etc/passwd")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordingLayout.fileName("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordingLayout.fileName("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordingLayout.fileName(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RecordingLayout.fileName("cti-agent-leg-1")).isEqualTo("rec-cti-agent-leg-1.wav");
    }
}
