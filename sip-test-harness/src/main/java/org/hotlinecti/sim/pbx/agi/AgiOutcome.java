package org.hotlinecti.sim.pbx.agi;

/**
 * What one AGI command produced: the reply bytes for the FastAGI server and what AMI {@code AGIExecEnd} reports.
 *
 * @param reply one or more lines, each ending with {@code \n}
 * @param resultCode AGIExecEnd {@code ResultCode}: 200, 510, 511, 520, or -1 when the command failed
 * @param result AGIExecEnd {@code Result}: {@code Success}, {@code Failure}, {@code Usage}, or the 510/511 text
 * @param failure the command failed (Asterisk's RESULT_FAILURE, usually because the channel went away)
 */
record AgiOutcome(String reply, int resultCode, String result, boolean failure) {

    static final String DEAD_CHANNEL = "Command Not Permitted on a dead channel or intercept routine";
    static final String UNKNOWN = "Invalid or unknown command";

    /** {@code 200 <text>}, Success. */
    static AgiOutcome ok(String text) {
        return new AgiOutcome("200 " + text + "\n", 200, "Success", false);
    }

    /** {@code 200 <text>} of a command that failed (hang-up while it ran): AGIExecEnd says -1 / Failure. */
    static AgiOutcome failed(String text) {
        return new AgiOutcome("200 " + text + "\n", -1, "Failure", true);
    }

    static AgiOutcome deadChannel() {
        return new AgiOutcome("511 " + DEAD_CHANNEL + "\n", 511, DEAD_CHANNEL, false);
    }

    static AgiOutcome unknown() {
        return new AgiOutcome("510 " + UNKNOWN + "\n", 510, UNKNOWN, false);
    }

    /** The multi-line 520 reply; the usage lines never start with "520" (clients read up to the next "520"). */
    static AgiOutcome usage(String usage) {
        return new AgiOutcome("520-Invalid command syntax.  Proper usage follows:\n" + usage + "\n"
                + "520 End of proper usage.\n", 520, "Usage", false);
    }
}
