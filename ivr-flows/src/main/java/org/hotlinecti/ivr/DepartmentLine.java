package org.hotlinecti.ivr;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A number the hotline answers: 12345 itself or a department line merged into it (12315, 12333, 12369 ...).
 *
 * @param number        the dialled number
 * @param name          e.g. {@code 12315 市场监管投诉举报热线}
 * @param department    e.g. {@code 市场监督管理局}
 * @param skill         the skill calls on this line need
 * @param minLevel      the minimum level in that skill, 1..10
 * @param priority      queue priority of the line's calls
 * @param welcomePrompt prompt played first; when the line has menu keys it also announces them
 * @param menu          optional keys (single digits) that change the skill when pressed during the welcome; empty
 *                      for no menu (the default: the national standard wants humans reached fast, so a menu never
 *                      adds waiting time: a caller who presses nothing is queued as soon as the welcome ends)
 * @param mode          how the line joined 12345 (main, merged, parallel, sub-centre)
 * @param hoursId       the opening hours the line keeps ({@code 7x24} for 12345)
 * @param flowId        the IVR flow the line runs; {@code null} gives the mode's {@link LineMode#defaultFlow()}
 * @param mergedNotice  sound file that tells callers the number has merged into 12345 (merged mode), if any
 * @param subCentre     the department's own centre (sub-centre mode)
 * @param poolWhenClosed whether a caller out of hours may press 0 for the 12345 pool instead of voicemail
 * @param poolFallback  whether a sub-centre that does not answer or is closed falls back to the 12345 pool
 */
public record DepartmentLine(String number, String name, String department, String skill, int minLevel, int priority,
        String welcomePrompt, Map<String, MenuChoice> menu, LineMode mode, String hoursId, String flowId,
        Optional<String> mergedNotice, Optional<SubCentre> subCentre, boolean poolWhenClosed, boolean poolFallback) {

    /** A line as the walking skeleton knew it: merged, open 7×24, the mode's default flow. */
    public DepartmentLine(String number, String name, String department, String skill, int minLevel, int priority,
            String welcomePrompt, Map<String, MenuChoice> menu) {
        this(number, name, department, skill, minLevel, priority, welcomePrompt, menu, LineMode.MERGED, "7x24",
                null, Optional.empty(), Optional.empty(), false, true);
    }

    private static final Pattern NUMBER = Pattern.compile("[0-9]{3,20}");
    private static final Pattern KEY = Pattern.compile("[0-9*]");

    public DepartmentLine {
        Objects.requireNonNull(number, "number");
        if (!NUMBER.matcher(number).matches()) {
            throw new IllegalArgumentException("line number must be 3 to 20 digits, was '" + number + "'");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(skill, "skill");
        if (minLevel < 1 || minLevel > 10) {
            throw new IllegalArgumentException("line " + number + ": min level must be 1..10, was " + minLevel);
        }
        welcomePrompt = welcomePrompt == null ? "hotline/welcome-" + number : welcomePrompt;
        menu = menu == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(menu));
        for (String key : menu.keySet()) {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("line " + number + ": menu key must be one of 0-9 *, was '"
                        + key + "'");
            }
        }
        Objects.requireNonNull(mode, "mode");
        hoursId = hoursId == null ? "7x24" : hoursId;
        flowId = flowId == null ? mode.defaultFlow() : flowId;
        mergedNotice = mergedNotice == null ? Optional.empty() : mergedNotice;
        subCentre = subCentre == null ? Optional.empty() : subCentre;
        if (mode == LineMode.SUB_CENTRE && subCentre.isEmpty()) {
            throw new IllegalArgumentException("line " + number + ": sub-centre mode needs the sub-centre's number");
        }
    }

    /** The menu keys as AGI escape digits, e.g. {@code "12"}; empty when the line has no menu. */
    public String menuKeys() {
        return String.join("", menu.keySet());
    }
}
