package org.hotlinecti.cti.asterisk.agi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The recorded Asterisk 22 FastAGI traces under {@code hotline.traces.dir} (set by the parent POM's surefire config). */
final class AgiTraces {

    private AgiTraces() {
    }

    /** The exact bytes Asterisk sent on session {@code session} of {@code flow} ({@code agi-<n>.rx.raw}). */
    static byte[] received(String flow, int session) {
        String dir = System.getProperty("hotline.traces.dir");
        if (dir == null) {
            throw new IllegalStateException("system property hotline.traces.dir is not set (the parent POM sets it)");
        }
        Path path = Path.of(dir, flow, "agi-" + session + ".rx.raw");
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("trace file missing: " + path);
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The {@code agi_*} header block of a session as lines without terminator: the {@code agi_*} lines and the empty
     * line that ends the block (23 lines in Asterisk 22).
     */
    static List<String> header(String flow, int session) {
        String text = new String(received(flow, session), StandardCharsets.UTF_8);
        String header = text.substring(0, text.indexOf("\n\n") + 1);
        return List.of(header.split("\n", -1));
    }
}
