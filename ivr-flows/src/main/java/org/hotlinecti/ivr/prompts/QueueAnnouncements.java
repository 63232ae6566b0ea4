package org.hotlinecti.ivr.prompts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sound files that tell a waiting caller where they stand, composed from catalogue prompts and number
 * syllables: 您前面还有 / 三 / 位, 预计等待 / 两 / 分钟. The CTI plays the files one after the other.
 */
public final class QueueAnnouncements {

    /** 您前面还有 */
    public static final String AHEAD = "queue-ahead";
    /** 位 */
    public static final String AHEAD_UNIT = "queue-ahead-unit";
    /** 您是下一位 */
    public static final String NEXT = "queue-next";
    /** 预计等待 */
    public static final String WAIT = "queue-wait";
    /** 分钟 */
    public static final String MINUTES = "unit-minutes";
    /** 预计等待不到一分钟 */
    public static final String WAIT_UNDER_A_MINUTE = "queue-wait-under-minute";

    /**
     * Every catalogue prompt an announcement may play besides the number syllables ({@code num/...} of
     * {@link ChineseNumbers#SYLLABLES}): a catalogue that serves queue announcements must hold them all.
     */
    public static final java.util.Set<String> PROMPT_IDS = java.util.Set.of(AHEAD, AHEAD_UNIT, NEXT, WAIT, MINUTES,
            WAIT_UNDER_A_MINUTE);

    private final PromptCatalogue catalogue;

    public QueueAnnouncements(PromptCatalogue catalogue) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    }

    /** 您前面还有N位 (or 您是下一位 when nobody is ahead). */
    public List<String> position(int callersAhead) {
        if (callersAhead < 0) {
            throw new IllegalArgumentException("callers ahead must be 0 or more, was " + callersAhead);
        }
        if (callersAhead == 0) {
            return List.of(catalogue.soundFile(NEXT));
        }
        List<String> files = new ArrayList<>();
        files.add(catalogue.soundFile(AHEAD));
        files.addAll(number(callersAhead));
        files.add(catalogue.soundFile(AHEAD_UNIT));
        return files;
    }

    /** 预计等待N分钟, the wait rounded up to whole minutes (不到一分钟 below one). */
    public List<String> expectedWait(Duration wait) {
        long seconds = Math.max(0, wait.toSeconds());
        if (seconds < 60) {
            return List.of(catalogue.soundFile(WAIT_UNDER_A_MINUTE));
        }
        long minutes = (seconds + 59) / 60;
        List<String> files = new ArrayList<>();
        files.add(catalogue.soundFile(WAIT));
        files.addAll(number(minutes));
        files.add(catalogue.soundFile(MINUTES));
        return files;
    }

    /** The syllable files of a counted number (两 before a measure word). */
    public List<String> number(long n) {
        return ChineseNumbers.tokens(n, ChineseNumbers.Style.COUNT).stream().map(catalogue::syllableFile).toList();
    }
}
