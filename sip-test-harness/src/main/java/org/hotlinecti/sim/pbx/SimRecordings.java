package org.hotlinecti.sim.pbx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files RECORD FILE leaves behind. The sim's callers send no audio, so a recording is silence of the length the
 * caller stayed on: a 16-bit mono 8 kHz WAV, the format Asterisk writes for {@code wav} (trace 05/06).
 */
final class SimRecordings {

    private static final Logger LOG = LoggerFactory.getLogger(SimRecordings.class);
    /** Ten minutes: a recording longer than this is a runaway test, not a voicemail. */
    private static final long MAX_SAMPLES = 8000L * 600;

    private SimRecordings() {
    }

    /** Whether RECORD FILE may write {@code file.format}: an absolute path under {@code root}; always when no root. */
    static boolean writable(Path root, String file, String format) {
        return root == null || target(root, file, format) != null;
    }

    /** Writes the recording; nothing when there is no root (trace replays). */
    static void write(Path root, String file, String format, long samples, String channel) {
        if (root == null) {
            return;
        }
        Path target = target(root, file, format);
        if (target == null) {
            return;
        }
        long n = Math.max(0, Math.min(samples, MAX_SAMPLES));
        try {
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(target)) {
                out.write(header(n));
                out.write(new byte[(int) (n * 2)]);
            }
            LOG.debug("{}: recorded {} samples to {}", channel, n, target);
        } catch (IOException e) {
            LOG.warn("{}: cannot write recording {}: {}", channel, target, e.toString());
        }
    }

    private static Path target(Path root, String file, String format) {
        if (!file.startsWith("/") || !"wav".equals(format.toLowerCase(Locale.ROOT))) {
            LOG.warn("RECORD FILE {} {}: the sim writes absolute paths in wav format only", file, format);
            return null;
        }
        Path p = Path.of(file + "." + format).normalize();
        Path r = root.toAbsolutePath().normalize();
        if (!p.startsWith(r)) {
            LOG.warn("RECORD FILE {}: outside the recording root {}", file, r);
            return null;
        }
        return p;
    }

    /** The 44-byte RIFF header of 16-bit mono 8 kHz PCM with {@code samples} samples. */
    static byte[] header(long samples) {
        int data = (int) (samples * 2);
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2)
                .putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data);
        return b.array();
    }
}
