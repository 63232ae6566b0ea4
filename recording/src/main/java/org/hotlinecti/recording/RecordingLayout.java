package org.hotlinecti.recording;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a call's recording lives: {@code <root>/<yyyy>/<MM>/<dd>/rec-<linkedid>.wav}, dated in the centre's zone.
 *
 * <p>One directory per day keeps directories small and makes retention (delete whole days) cheap. The name is
 * derived from the Linkedid alone, so the PBX (MixMonitor's file argument) and the CTI agree on it without talking.
 * Linkedids are checked, never trusted: only characters Asterisk uses in them are accepted, so a crafted id cannot
 * escape the root.
 */
public final class RecordingLayout {

    private static final Pattern LINKED_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private final Path root;
    private final ZoneId zone;

    public RecordingLayout(Path root, ZoneId zone) {
        this.root = Objects.requireNonNull(root, "root");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** The file name for a call, e.g. {@code rec-1795322295.2.wav}. */
    public static String fileName(String linkedId) {
        if (linkedId == null || !LINKED_ID.matcher(linkedId).matches() || linkedId.startsWith(".")) {
            throw new IllegalArgumentException("not a valid Linkedid for a recording name: '" + linkedId + "'");
        }
        return "rec-" + linkedId + ".wav";
    }

    /**
     * Where the voicemail of a call that started at {@code startedAt} is recorded, relative to the root and without
     * extension (the IVR's {@code record} takes the format separately):
     * {@code voicemail/<yyyy>/<MM>/<dd>/vm-<linkedid>}. Voicemails sit in their own tree because they are kept as
     * long as their ticket is open (a call back is owed), not by the call-recording retention.
     */
    public String voicemailName(String linkedId, Instant startedAt) {
        String rec = fileName(linkedId);
        String id = rec.substring("rec-".length(), rec.length() - ".wav".length());
        return "voicemail/" + DAY.format(startedAt.atZone(zone)) + "/vm-" + id;
    }

    /** The full path of the recording of a call that started at {@code startedAt}. */
    public Path pathOf(String linkedId, Instant startedAt) {
        String day = DAY.format(startedAt.atZone(zone));
        return root.resolve(day).resolve(fileName(linkedId));
    }
}
