package org.hotlinecti.cti.asterisk.ami;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.hotlinecti.cti.util.ProtocolLines;

/**
 * An AMI action to send: its name and {@code Key: Value} headers in order. The {@code ActionID} is added by the
 * client when it sends the action.
 *
 * <p>AMI is line based: a CR or LF inside a value would end the header and let the rest of the value become further
 * headers or a whole new action (for example {@code Action: Originate} with an application of the attacker's choice).
 * So every value is checked when it is added, and a value with CR, LF or NUL is refused with
 * {@link IllegalArgumentException}. Keys must be plain tokens. {@code ActionID} is reserved for the client.
 */
public final class AmiAction {

    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern VARIABLE = Pattern.compile("_{0,2}[A-Za-z][A-Za-z0-9_]*");

    private final String name;
    private final List<String> headers = new ArrayList<>();

    private AmiAction(String name) {
        this.name = name;
    }

    /** A new action named {@code name} (e.g. {@code Redirect}). */
    public static AmiAction named(String name) {
        Objects.requireNonNull(name, "name");
        if (!KEY.matcher(name).matches()) {
            throw new IllegalArgumentException("AMI action name must be a plain token, got " + printable(name));
        }
        return new AmiAction(name);
    }

    /**
     * Adds a header.
     *
     * @throws IllegalArgumentException if the key is not a plain token, is {@code Action} or {@code ActionID}, or the
     *                                  value contains CR, LF or NUL
     */
    public AmiAction add(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "value of " + key);
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("AMI header name must be a plain token, got " + printable(key));
        }
        if (key.equalsIgnoreCase("ActionID") || key.equalsIgnoreCase("Action")) {
            throw new IllegalArgumentException(key + " is set by the AMI client");
        }
        requireOneLine(key, value);
        headers.add(key);
        headers.add(value);
        return this;
    }

    /**
     * Adds one channel variable as a {@code Variable: name=value} header (Originate). Asterisk splits such a header at
     * commas into several assignments and the dialplan later expands {@code ${...}} and {@code $[...]} in what it
     * reads, so a value from a caller or a web form could add variables or read any other one. Such values are
     * refused, not escaped.
     *
     * @throws IllegalArgumentException if the name is not a plain variable name ({@code __} inheritance prefixes
     *                                  allowed), or the value contains CR, LF, NUL, {@code ,}, {@code "},
     *                                  {@code ${} or {@code $[}
     */
    public AmiAction addVariable(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, () -> "value of " + name);
        if (!VARIABLE.matcher(name).matches()) {
            throw new IllegalArgumentException("variable name must be letters, digits and _, got " + printable(name));
        }
        requireOneLine("value of " + name, value);
        if (value.contains(",") || value.contains("\"") || value.contains("${") || value.contains("$[")) {
            throw new IllegalArgumentException("value of " + name + " must not contain ',', '\"', '${' or '$[' "
                    + "(variable or dialplan injection): " + printable(value));
        }
        return add("Variable", name + "=" + value);
    }

    /** The action's name. */
    public String name() {
        return name;
    }

    /** The value of the first header {@code key}, or null. */
    public String header(String key) {
        for (int i = 0; i < headers.size(); i += 2) {
            if (headers.get(i).equalsIgnoreCase(key)) {
                return headers.get(i + 1);
            }
        }
        return null;
    }

    /** The bytes on the wire: {@code Action}, {@code ActionID}, the headers, an empty line. */
    byte[] encode(String actionId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + headers.size() * 24);
        line(out, "Action", name);
        line(out, "ActionID", actionId);
        for (int i = 0; i < headers.size(); i += 2) {
            line(out, headers.get(i), headers.get(i + 1));
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    private static void line(ByteArrayOutputStream out, String key, String value) {
        out.writeBytes(key.getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.write(' ');
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    /** @throws IllegalArgumentException when the value holds CR, LF or NUL */
    static String requireOneLine(String what, String value) {
        return ProtocolLines.requireOneLine(what, value, "AMI header injection");
    }

    static String printable(String value) {
        return ProtocolLines.printable(value);
    }

    /** Never prints values: a Login carries the secret. */
    @Override
    public String toString() {
        return "AmiAction[" + name + "]";
    }
}
