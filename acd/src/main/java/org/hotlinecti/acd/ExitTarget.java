package org.hotlinecti.acd;

import java.util.Objects;

/**
 * Where a call goes when it leaves its queue without an agent (max wait, diversion, queue closed).
 *
 * @param kind  the kind of destination
 * @param queue the queue to move to; only for {@link Kind#QUEUE}
 */
public record ExitTarget(Kind kind, String queue) {

    /** The kinds of destination. The engine handles {@code QUEUE} itself; the owner acts on the others. */
    public enum Kind { QUEUE, VOICEMAIL, CALLBACK }

    public static final ExitTarget VOICEMAIL = new ExitTarget(Kind.VOICEMAIL, null);
    public static final ExitTarget CALLBACK = new ExitTarget(Kind.CALLBACK, null);

    public ExitTarget {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.QUEUE) != (queue != null)) {
            throw new IllegalArgumentException("a queue target needs a queue name and only a queue target has one");
        }
    }

    public static ExitTarget queue(String name) {
        return new ExitTarget(Kind.QUEUE, name);
    }

    /** Parses {@code voicemail}, {@code callback} or {@code queue:NAME}. */
    public static ExitTarget parse(String text) {
        if ("voicemail".equals(text)) {
            return VOICEMAIL;
        }
        if ("callback".equals(text)) {
            return CALLBACK;
        }
        if (text != null && text.startsWith("queue:") && text.length() > 6) {
            return queue(text.substring(6));
        }
        throw new IllegalArgumentException("exit target must be voicemail, callback or queue:NAME, was '" + text + "'");
    }

    @Override
    public String toString() {
        return kind == Kind.QUEUE ? "queue:" + queue : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
