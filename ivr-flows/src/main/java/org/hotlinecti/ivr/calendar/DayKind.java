package org.hotlinecti.ivr.calendar;

/** How the calendar classes a date for opening hours. */
public enum DayKind {
    /** Monday to Friday outside the holidays, or a make-up working day (调休上班). */
    WORKDAY,
    /** A Saturday or Sunday that is not a holiday nor a make-up day. */
    WEEKEND,
    /** An official day off of a public holiday (including weekend days inside the holiday). */
    HOLIDAY
}
