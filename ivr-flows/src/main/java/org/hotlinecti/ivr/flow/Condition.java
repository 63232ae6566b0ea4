package org.hotlinecti.ivr.flow;

import java.util.Map;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.calendar.BusinessCalendar;

/** A test of a {@code branch} node's case, built from YAML by {@link FlowLoader}. */
@FunctionalInterface
public interface Condition {

    /** What a condition may look at. */
    record Facts(DepartmentLine line, String callerNumber, Map<String, String> data, BusinessCalendar calendar) {
    }

    boolean test(Facts facts);

    default Condition and(Condition other) {
        return facts -> test(facts) && other.test(facts);
    }
}
