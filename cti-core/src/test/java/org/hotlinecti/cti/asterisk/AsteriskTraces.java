package org.hotlinecti.cti.asterisk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The recorded Asterisk 22 traces under {@code hotline.traces.dir} (set by the parent POM's surefire config). */
final class AsteriskTraces {

    private AsteriskTraces() {
    }

    static byte[] read(String flow, String file) {
        String dir = System.getProperty("hotline.traces.dir");
        if (dir == null) {
            throw new IllegalStateException("system property hotline.traces.dir is not set (the parent POM sets it)");
        }
        Path path = Path.of(dir, flow, file);
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
     * The events of a flow's {@code ami.log} after the banner and the Login response, byte for byte. The responses to
     * the capture tool's own actions (its ActionIDs, nobody of ours waits for them) are left out.
     */
    static byte[] amiEventsAfterLogin(String flow) {
        // ISO-8859-1 maps every byte to one char and back, so non-ASCII bytes survive unchanged.
        String text = new String(read(flow, "ami.log"), StandardCharsets.ISO_8859_1);
        int bannerEnd = text.indexOf("\r\n") + 2;
        if (!text.startsWith("Asterisk Call Manager/") || !text.startsWith("Response: Success", bannerEnd)) {
            throw new IllegalStateException(flow + "/ami.log does not start with banner + login response");
        }
        StringBuilder events = new StringBuilder();
        for (String message : text.substring(text.indexOf("\r\n\r\n", bannerEnd) + 4).split("\r\n\r\n")) {
            if (message.startsWith("Event: ")) {
                events.append(message).append("\r\n\r\n");
            }
        }
        return events.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The one AMI message of {@code file} that starts with {@code firstLine}, with its terminating blank line. */
    static String amiMessage(String flow, String file, String firstLine) {
        String text = new String(read(flow, file), StandardCharsets.UTF_8);
        int start = text.indexOf(firstLine + "\r\n");
        if (start < 0) {
            throw new IllegalStateException(flow + "/" + file + " has no message " + firstLine);
        }
        return text.substring(start, text.indexOf("\r\n\r\n", start) + 4);
    }

    /**
     * The {@code agi_*} header block of a FastAGI session as lines without terminator: the {@code agi_*} lines and
     * the empty line that ends the block (23 lines in Asterisk 22).
     */
    static List<String> agiHeader(String flow, int session) {
        String text = new String(read(flow, "agi-" + session + ".rx.raw"), StandardCharsets.UTF_8);
        String header = text.substring(0, text.indexOf("\n\n") + 1);
        return List.of(header.split("\n", -1));
    }
}
