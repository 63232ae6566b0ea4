package org.hotlinecti.ivr.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderPromptsTest {

    @TempDir
    Path dir;

    private static AudioInputStream sine(float rate, double seconds) {
        int frames = (int) (rate * seconds);
        byte[] pcm = new byte[frames * 2];
        for (int i = 0; i < frames; i++) {
            short s = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        return new AudioInputStream(new ByteArrayInputStream(pcm), format, frames);
    }

    @Test
    void espeakOutputIsConvertedTo8kHz16BitMono() throws IOException, UnsupportedAudioFileException {
        File in = dir.resolve("in.wav").toFile();
        AudioSystem.write(sine(22050f, 1.0), AudioFileFormat.Type.WAVE, in);

        Path out = dir.resolve("hotline/num/3.wav");
        WavConverter.toAsteriskWav(in.toPath(), out);

        try (AudioInputStream converted = AudioSystem.getAudioInputStream(out.toFile())) {
            AudioFormat f = converted.getFormat();
            assertThat(f.getSampleRate()).isEqualTo(8000f);
            assertThat(f.getSampleSizeInBits()).isEqualTo(16);
            assertThat(f.getChannels()).isEqualTo(1);
            assertThat(f.isBigEndian()).isFalse();
            assertThat(converted.getFrameLength()).isBetween(7900L, 8100L);
        }
    }

    @Test
    void aMissingEspeakIsExplainedNotAStackTrace() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RenderPrompts.run(new String[] {"--espeak", "/nonexistent/espeak-ng", "--out", dir.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("apt-get install espeak-ng");
    }

    @Test
    void rendersCataloguePromptsWithEspeakWhenInstalled() throws IOException, UnsupportedAudioFileException {
        assumeTrue(RenderPrompts.espeakAvailable("espeak-ng"), "skipped: " + RenderPrompts.INSTALL_HINT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = RenderPrompts.run(new String[] {"--out", dir.toString(), "--only", "queue-ahead,num/liang"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(code).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("rendered 2 prompts");
        for (String id : new String[] {"queue-ahead", "num/liang"}) {
            try (AudioInputStream wav = AudioSystem.getAudioInputStream(dir.resolve("hotline/" + id + ".wav")
                    .toFile())) {
                assertThat(wav.getFormat().getSampleRate()).isEqualTo(8000f);
                assertThat(wav.getFrameLength()).as(id + " has sound").isGreaterThan(800);
            }
        }
    }
}
