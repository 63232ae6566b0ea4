package org.hotlinecti.sim.pbx.dialplan;

/** Where {@link Expressions} looks up {@code ${NAME}} and {@code ${FUNC(args)}} (a channel, normally). */
public interface VariableSource {

    /** The value of a variable, or {@code null} when unset (it then substitutes as empty). */
    String variable(String name);

    /**
     * The value of a dialplan function such as {@code CHANNEL(linkedid)} or {@code CALLERID(num)}.
     *
     * @throws IllegalArgumentException for functions the sim does not know
     */
    String function(String name, String argument);
}
