package org.hotlinecti.cti.asterisk;

/**
 * Asterisk answered but refused the login ({@code Authentication failed}): the username or secret is wrong, or the
 * CTI's address is not permitted for the user. Unlike an unreachable Asterisk this is a misconfiguration that
 * retrying cannot cure, so it stops the CTI at start-up.
 */
public class AmiLoginRefusedException extends AmiConnectException {

    public AmiLoginRefusedException(String message) {
        super(message, null);
    }
}
