package org.hotlinecti.ivr;

import java.util.Objects;

/**
 * One key of a line's optional menu: pressing it routes by another skill (e.g. 1 → 涉企服务专席, 2 → 方言专席).
 *
 * @param label    what the key is for, in Chinese (shown in IVR paths and reports)
 * @param skill    the skill the call then needs
 * @param priority queue priority for calls that chose this key (0 normal)
 */
public record MenuChoice(String label, String skill, int priority) {

    public MenuChoice {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(skill, "skill");
    }
}
