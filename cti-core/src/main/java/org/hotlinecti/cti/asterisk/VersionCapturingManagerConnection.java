package org.hotlinecti.cti.asterisk;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import org.asteriskjava.AsteriskVersion;
import org.asteriskjava.manager.action.CoreSettingsAction;
import org.asteriskjava.manager.internal.ManagerConnectionImpl;
import org.asteriskjava.manager.response.ManagerResponse;
import org.asteriskjava.util.SocketConnectionFacade;

/**
 * Asterisk-Java's connection with two hooks into its login:
 * <ul>
 *   <li>it keeps the full version string that CoreSettings reports (for example {@code 22.10.1}); Asterisk-Java itself
 *   only keeps a coarse {@link AsteriskVersion} ("Asterisk 22"). Overriding the login's own CoreSettings step costs no
 *   extra round trip and works on every re-login after a reconnect too;</li>
 *   <li>it marks a failed TCP connect as {@link AmiUnreachableException}, so the adapter can name the problem.</li>
 * </ul>
 */
final class VersionCapturingManagerConnection extends ManagerConnectionImpl {

    private volatile String asteriskVersion = "";
    private volatile int connectTimeoutMillis;

    @Override
    public void setSocketTimeout(int socketTimeout) {
        super.setSocketTimeout(socketTimeout);
        this.connectTimeoutMillis = socketTimeout;
    }

    /** The version from the last login's CoreSettings, or empty if Asterisk did not tell (missing permission). */
    String asteriskVersion() {
        return asteriskVersion;
    }

    @Override
    protected AsteriskVersion determineVersionByCoreSettings() throws Exception {
        ManagerResponse response = sendAction(new CoreSettingsAction());
        // The attribute map holds the raw headers with lower-case keys, whatever response class was built.
        Object version = response == null ? null : response.getAttributes().get("asteriskversion");
        if (version == null) {
            return null;
        }
        asteriskVersion = version.toString();
        return AsteriskVersion.getDetermineVersionFromString("Asterisk " + version);
    }

    @Override
    protected SocketConnectionFacade createSocket() throws IOException {
        try {
            return super.createSocket();
        } catch (UnknownHostException e) {
            throw new AmiUnreachableException("unknown host", e);
        } catch (SocketTimeoutException e) {
            throw new AmiUnreachableException("connect timed out after " + connectTimeoutMillis + " ms", e);
        } catch (IOException e) {
            throw new AmiUnreachableException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }
}
