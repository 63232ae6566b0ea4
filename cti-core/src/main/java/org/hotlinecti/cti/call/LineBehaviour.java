package org.hotlinecti.cti.call;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.hotlinecti.cti.config.CtiConfig;

/**
 * What a line does besides "welcome, then queue", as the interim {@link LineModeFlowRunner} reads it from the line
 * configuration: closed (out of hours → voicemail), the 设分中心 mode, and menu keys that transfer or end the call.
 * The YAML flow interpreter and the business calendar take these decisions over; this record then goes.
 *
 * @param closed    the line is out of hours now: closed prompt, then voicemail
 * @param mode      the merger mode (国办发〔2020〕53号)
 * @param subCentre where a {@link Mode#SUB_CENTRE} line sends calls first; null for the other modes
 * @param keys      menu keys that do not route by skill, by key
 */
public record LineBehaviour(boolean closed, Mode mode, SubCentre subCentre, Map<String, KeyAction> keys) {

    private static final Pattern NUMBER = Pattern.compile("[0-9]{3,20}");
    private static final Pattern TRUNK = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration DEFAULT_TRANSFER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_SUB_CENTRE_TIMEOUT = Duration.ofSeconds(20);
    /** The PJSIP endpoint of the carrier trunk (pjsip.conf), used when a sub-centre names no trunk of its own. */
    public static final String DEFAULT_TRUNK = "trunk";

    /** A line that is open, merged, and has no transfer or end keys. */
    public static final LineBehaviour PLAIN = new LineBehaviour(false, Mode.MERGED, null, Map.of());

    /** The three merger modes of department lines. */
    public enum Mode {
        /** 整体并入: answered by the 12345 agents with the line's skill. */
        MERGED,
        /** 双号并行: own greeting and priority, same agents. */
        PARALLEL,
        /** 设分中心: the department's own centre first, the 12345 pool when it does not answer. */
        SUB_CENTRE;

        static Mode of(String text) {
            if (text == null) {
                return MERGED;
            }
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mode must be merged, parallel or sub_centre, was '" + text + "'");
            }
        }
    }

    /**
     * The department's own centre.
     *
     * @param number        the number dialled over the trunk
     * @param trunk         the PJSIP endpoint of the trunk that reaches it
     * @param answerTimeout how long it may ring before the call falls back to the 12345 pool
     */
    public record SubCentre(String number, String trunk, Duration answerTimeout) {
    }

    /** A menu key that does not route by skill. */
    public sealed interface KeyAction {
        String label();
    }

    /** The key transfers the caller to {@code number} (110/119/120 ...) over the carrier trunk. */
    public record TransferKey(String label, String number, boolean threeParty, Duration answerTimeout)
            implements KeyAction {
    }

    /** The key plays {@code notice} and ends the call with {@code reason} (e.g. {@code not_accepted:court}). */
    public record EndKey(String label, String reason, String notice) implements KeyAction {
    }

    public LineBehaviour {
        Objects.requireNonNull(mode, "mode");
        keys = Map.copyOf(keys);
        if ((mode == Mode.SUB_CENTRE) != (subCentre != null)) {
            throw new IllegalArgumentException("a sub_centre is needed exactly when the mode is sub_centre");
        }
    }

    /** Whether the walking skeleton's flow serves the line unchanged. */
    public boolean isPlain() {
        return !closed && mode != Mode.SUB_CENTRE && keys.isEmpty();
    }

    /**
     * Reads a line's configuration.
     *
     * @throws IllegalArgumentException naming the line and key when something is inconsistent
     */
    public static LineBehaviour of(CtiConfig.Line line) {
        String at = "line " + line.number();
        Mode mode = Mode.of(line.mode());
        SubCentre subCentre = null;
        if (mode == Mode.SUB_CENTRE) {
            CtiConfig.SubCentre sc = line.subCentre();
            if (sc == null || sc.number() == null || !NUMBER.matcher(sc.number()).matches()) {
                throw new IllegalArgumentException(at + ": mode sub_centre needs sub_centre.number (3-20 digits)");
            }
            String trunk = sc.trunk() == null ? DEFAULT_TRUNK : sc.trunk();
            if (!TRUNK.matcher(trunk).matches()) {
                throw new IllegalArgumentException(at + ": sub_centre.trunk is not a PJSIP endpoint name: " + trunk);
            }
            subCentre = new SubCentre(sc.number(), trunk, timeout(sc.answerTimeout(), DEFAULT_SUB_CENTRE_TIMEOUT,
                    at + ": sub_centre.answer_timeout"));
        } else if (line.subCentre() != null) {
            throw new IllegalArgumentException(at + ": sub_centre is only for mode sub_centre");
        }
        Map<String, KeyAction> keys = new LinkedHashMap<>();
        if (line.menu() != null) {
            line.menu().forEach((key, k) -> {
                String where = at + ": menu key " + key;
                int kinds = (k.skill() != null ? 1 : 0) + (k.transfer() != null ? 1 : 0) + (k.end() != null ? 1 : 0);
                if (kinds != 1) {
                    throw new IllegalArgumentException(where + ": give exactly one of skill, transfer, end");
                }
                if (k.label() == null) {
                    throw new IllegalArgumentException(where + ": label is missing");
                }
                if (k.transfer() != null) {
                    if (!NUMBER.matcher(k.transfer()).matches()) {
                        throw new IllegalArgumentException(where + ": transfer must be a number (3-20 digits), was "
                                + k.transfer());
                    }
                    keys.put(key, new TransferKey(k.label(), k.transfer(), Boolean.TRUE.equals(k.threeParty()),
                            timeout(k.answerTimeout(), DEFAULT_TRANSFER_TIMEOUT, where + ": answer_timeout")));
                } else if (k.end() != null) {
                    if (k.end().isBlank() || k.notice() == null || k.notice().isBlank()) {
                        throw new IllegalArgumentException(where + ": end needs a reason and a notice prompt");
                    }
                    keys.put(key, new EndKey(k.label(), k.end(), k.notice()));
                } else if (k.threeParty() != null || k.answerTimeout() != null || k.notice() != null) {
                    throw new IllegalArgumentException(where
                            + ": three_party, answer_timeout and notice belong to transfer or end keys");
                }
            });
        }
        return new LineBehaviour(Boolean.TRUE.equals(line.closed()), mode, subCentre, keys);
    }

    private static Duration timeout(Duration configured, Duration fallback, String what) {
        Duration d = configured == null ? fallback : configured;
        if (d.isNegative() || d.isZero() || d.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(what + " must be whole positive seconds (Dial takes seconds), was "
                    + d);
        }
        return d;
    }
}
