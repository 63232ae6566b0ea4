package org.hotlinecti.sim.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.hotlinecti.sim.pbx.agi.AgiChannelPort;
import org.hotlinecti.sim.pbx.dialplan.Dialplan;
import org.hotlinecti.sim.pbx.dialplan.DialplanParser;
import org.hotlinecti.sim.sip.PbxSipEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RECORD FILE leaves a WAV where it was told, of the length recorded, and only under the recording root. */
class SimRecordingsTest {

    private static final Dialplan DIALPLAN = DialplanParser.parse("[from-trunk]\nexten => 100,1,NoOp()\n", "test");

    @TempDir
    Path root;

    private SimChannel channel(Path recordingRoot) {
        PbxCore core = new PbxCore(SimPbxConfig.builder().amiUser("cti", "secret").dialplan(DIALPLAN)
                .recordingRoot(recordingRoot).build(), DIALPLAN, mock(PbxSipEndpoint.class));
        SimChannel[] holder = new SimChannel[1];
        core.locked(() -> {
            holder[0] = core.newChannel(core.config.trunk(), null, null);
            holder[0].hasRunner = true;
        });
        return holder[0];
    }

    @Test
    void aRecordingThatTimesOutIsA16BitMono8kHzWavOfItsLength() throws Exception {
        SimChannel c = channel(root);
        String file = root.resolve("voicemail/2026/03/02/vm-1.2").toString();
        assertThat(c.canRecordTo(file, "wav")).isTrue();

        AgiChannelPort.Recording r = c.record(file, "wav", "#", Duration.ofMillis(250), true, null);

        assertThat(r.timedOut()).isTrue();
        byte[] wav = Files.readAllBytes(Path.of(file + ".wav"));
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(wav, 0, 4, "US-ASCII")).isEqualTo("RIFF");
        assertThat(new String(wav, 8, 4, "US-ASCII")).isEqualTo("WAVE");
        assertThat(b.getShort(22)).isEqualTo((short) 1);
        assertThat(b.getInt(24)).isEqualTo(8000);
        assertThat(b.getShort(34)).isEqualTo((short) 16);
        int dataBytes = b.getInt(40);
        assertThat(dataBytes).isEqualTo(r.endPosition() * 2).isEqualTo(wav.length - 44);
        assertThat(r.endPosition()).isBetween(2000L, 8000L);
    }

    @Test
    void pathsOutsideTheRootOrNotAbsoluteAreRefused() {
        SimChannel c = channel(root);
        assertThat(c.canRecordTo("/etc/vm", "wav")).isFalse();
        assertThat(c.canRecordTo(root + "/../escape", "wav")).isFalse();
        assertThat(c.canRecordTo("voicemail/vm", "wav")).isFalse();
        assertThat(c.canRecordTo(root + "/vm", "gsm")).isFalse();
    }

    @Test
    void withoutARootNothingIsWrittenAndEveryPathIsAccepted() throws Exception {
        SimChannel c = channel(null);
        String file = root.resolve("vm-2").toString();
        assertThat(c.canRecordTo("/var/spool/asterisk/voicemail/vm-1", "wav")).isTrue();
        c.record(file, "wav", "#", Duration.ofMillis(50), false, null);
        assertThat(Files.exists(Path.of(file + ".wav"))).isFalse();
    }
}
