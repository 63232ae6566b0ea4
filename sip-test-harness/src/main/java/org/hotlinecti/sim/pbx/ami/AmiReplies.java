package org.hotlinecti.sim.pbx.ami;

/**
 * Responses worded exactly as Asterisk 22 words them, for the {@link AmiActionHandler} to return. The
 * {@link AmiServer} adds the {@code ActionID} of the action (right after the first line), so these never carry one.
 */
public final class AmiReplies {

    private AmiReplies() {
    }

    /** {@code Response: Success} / {@code Message: <message>}, e.g. {@code Redirect successful}. */
    public static AmiMessage success(String message) {
        AmiMessage.Builder b = AmiMessage.builder().add("Response", "Success");
        if (message != null) {
            b.add("Message", message);
        }
        return b.build();
    }

    /** {@code Response: Success} with no {@code Message} (what MixMonitor and StopMixMonitor answer). */
    public static AmiMessage success() {
        return success(null);
    }

    /** {@code Response: Error} / {@code Message: <message>} (e.g. {@code No such channel}). */
    public static AmiMessage error(String message) {
        return AmiMessage.builder().add("Response", "Error").add("Message", message).build();
    }

    /**
     * The error Asterisk gives for an action it does not know: {@code Message: Invalid/unknown command: <name>. Use
     * Action: ListCommands to show available commands.} The server recognises this reply and also publishes the
     * {@code RequestBadFormat} security event Asterisk raises.
     */
    public static AmiMessage unknownAction(String actionName) {
        return error(unknownActionMessage(actionName));
    }

    /** The {@code Message} text of {@link #unknownAction(String)}. */
    public static String unknownActionMessage(String actionName) {
        return "Invalid/unknown command: " + actionName + ". Use Action: ListCommands to show available commands.";
    }

    /**
     * First response of a list action: {@code Response: Success} / {@code EventList: start} / {@code Message:
     * <message>} (e.g. {@code Channels will follow}).
     */
    public static AmiMessage listStart(String message) {
        return AmiMessage.builder().add("Response", "Success").add("EventList", "start").add("Message", message)
                .build();
    }

    /**
     * Last event of a list action: {@code Event: <eventName>} / {@code EventList: Complete} / {@code ListItems: n}
     * (e.g. {@code CoreShowChannelsComplete}). Add fields after it if the action has more (StatusComplete's
     * {@code Items}).
     */
    public static AmiMessage listComplete(String eventName, int listItems) {
        return AmiMessage.builder().add("Event", eventName).add("EventList", "Complete")
                .add("ListItems", Integer.toString(listItems)).build();
    }
}
