package org.hotlinecti.sim.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** HTTP Digest (RFC 2617) with MD5, as SIP uses it (RFC 3261 §22.4): the registrar's side of the computation. */
final class DigestAuth {

    private DigestAuth() {
    }

    /**
     * The expected {@code response} parameter.
     *
     * @param qop    {@code auth}, or {@code null} for the RFC 2069 form (then {@code nc} and {@code cnonce} are unused)
     * @param nc     the nonce count exactly as the client sent it (8 hex digits)
     */
    static String response(String username, String realm, String password, String method, String digestUri,
            String nonce, String qop, String nc, String cnonce) {
        String ha1 = md5Hex(username + ":" + realm + ":" + password);
        String ha2 = md5Hex(method + ":" + digestUri);
        if (qop == null || qop.isEmpty()) {
            return md5Hex(ha1 + ":" + nonce + ":" + ha2);
        }
        if (!qop.equalsIgnoreCase("auth")) {
            throw new IllegalArgumentException("unsupported qop: " + qop);
        }
        return md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    static String md5Hex(String text) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has MD5", e);
        }
    }
}
