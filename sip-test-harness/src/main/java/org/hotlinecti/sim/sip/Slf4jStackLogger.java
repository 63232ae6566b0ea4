package org.hotlinecti.sim.sip;

import gov.nist.core.LogLevels;
import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the JAIN-SIP RI's internal logging to SLF4J (logger {@code gov.nist.javax.sip}), so the RI writes no log
 * files and stays quiet at INFO.
 *
 * <p>Not for application use: public only because the RI instantiates it reflectively through the stack property
 * {@code gov.nist.javax.sip.STACK_LOGGER}. The RI's own INFO messages are internal chatter and go to DEBUG, its
 * DEBUG and TRACE to TRACE; warnings and errors keep their level.
 */
public final class Slf4jStackLogger implements StackLogger {

    static final String LOGGER_NAME = "gov.nist.javax.sip";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final int MAX_MESSAGE = 600;

    /** Required by the RI, which creates one per stack. */
    public Slf4jStackLogger() {
    }

    @Override
    public void logStackTrace() {
        logStackTrace(TRACE_DEBUG);
    }

    @Override
    public void logStackTrace(int traceLevel) {
        if (isLoggingEnabled(traceLevel)) {
            LOG.trace("stack trace requested by the RI", new Throwable("RI stack trace"));
        }
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        if (isShutdownNoise(ex)) {
            LOG.debug("JAIN-SIP RI exception while stopping", ex);
        } else {
            LOG.warn("JAIN-SIP RI exception", ex);
        }
    }

    @Override
    public void logDebug(String message) {
        LOG.trace(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        LOG.trace(message, ex);
    }

    @Override
    public void logTrace(String message) {
        LOG.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        LOG.error(shorten(message));
    }

    @Override
    public void logError(String message) {
        LOG.error(shorten(message));
    }

    @Override
    public void logError(String message, Exception ex) {
        if (isShutdownNoise(ex)) {
            LOG.debug(shorten(message), ex);
        } else {
            LOG.error(shorten(message), ex);
        }
    }

    /**
     * Closing a listening point interrupts its parser thread; the RI then reports the interrupted packet as an error
     * (with the whole 64 KiB receive buffer in the message). That is the socket going away, not a fault.
     */
    private static boolean isShutdownNoise(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** Some RI messages embed a whole datagram buffer as a byte list. */
    private static String shorten(String message) {
        return message != null && message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
    }

    @Override
    public void logWarning(String message) {
        if (isTlsSetupNotice(message)) {
            LOG.debug(message); // every stack announces its (unused) TLS defaults: only UDP is used here
        } else {
            LOG.warn(message);
        }
    }

    private static boolean isTlsSetupNotice(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("tls") || m.contains("keystore") || m.contains("truststore");
    }

    @Override
    public void logInfo(String message) {
        LOG.debug(message);
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isDebugEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        // TRACE_MESSAGES has the same value as TRACE_INFO: the RI asks with it before handing a message to the
        // server logger, so message logging must be reported enabled when the wire logger wants it.
        if (logLevel == LogLevels.TRACE_MESSAGES && Slf4jServerLogger.isEnabled()) {
            return true;
        }
        if (logLevel <= LogLevels.TRACE_NONE) {
            return false;
        }
        if (logLevel <= LogLevels.TRACE_ERROR) {
            return LOG.isErrorEnabled();
        }
        if (logLevel <= LogLevels.TRACE_WARN) {
            return LOG.isWarnEnabled();
        }
        if (logLevel <= LogLevels.TRACE_INFO) {
            return LOG.isDebugEnabled();
        }
        return LOG.isTraceEnabled();
    }

    @Override
    public void disableLogging() {
        // Levels are SLF4J's business.
    }

    @Override
    public void enableLogging() {
        // Levels are SLF4J's business.
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.trace("JAIN-SIP RI build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // Nothing to configure: no files, levels come from the SLF4J backend.
    }

    @Override
    public String getLoggerName() {
        return LOGGER_NAME;
    }
}
