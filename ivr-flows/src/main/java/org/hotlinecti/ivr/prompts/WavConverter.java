package org.hotlinecti.ivr.prompts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Converts a WAV file to what Asterisk plays without transcoding on a narrow-band trunk: 8 kHz, 16-bit signed
 * little-endian PCM, mono. Uses the JDK's own sample-rate converter, so the render tool needs no {@code sox}.
 */
public final class WavConverter {

    /** 8 kHz 16-bit mono signed little-endian PCM. */
    public static final AudioFormat ASTERISK = new AudioFormat(8000f, 16, 1, true, false);

    private WavConverter() {
    }

    /**
     * Writes {@code in} as {@link #ASTERISK} format to {@code out}.
     *
     * @throws IOException when {@code in} is not a WAV file the JDK can read, or the conversion is not supported
     */
    public static void toAsteriskWav(Path in, Path out) throws IOException {
        try (AudioInputStream source = AudioSystem.getAudioInputStream(in.toFile())) {
            AudioInputStream pcm = source;
            AudioFormat f = source.getFormat();
            if (f.getChannels() != 1) {
                throw new IOException(in + ": expected a mono recording, got " + f.getChannels() + " channels");
            }
            if (!f.getEncoding().equals(AudioFormat.Encoding.PCM_SIGNED) || f.getSampleSizeInBits() != 16) {
                pcm = AudioSystem.getAudioInputStream(new AudioFormat(f.getSampleRate(), 16, 1, true, false), source);
            }
            if (!AudioSystem.isConversionSupported(ASTERISK, pcm.getFormat())) {
                throw new IOException("the JDK cannot convert " + pcm.getFormat() + " to " + ASTERISK);
            }
            try (AudioInputStream converted = AudioSystem.getAudioInputStream(ASTERISK, pcm)) {
                Files.createDirectories(out.toAbsolutePath().getParent());
                AudioSystem.write(converted, AudioFileFormat.Type.WAVE, out.toFile());
            }
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(in + " is not a WAV file: " + e.getMessage(), e);
        }
    }
}
