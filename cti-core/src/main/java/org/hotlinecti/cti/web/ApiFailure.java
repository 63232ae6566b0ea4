package org.hotlinecti.cti.web;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.hotlinecti.cti.api.CtiRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed request as the client sees it: an HTTP status and a message. {@link CtiRequestException}s say what was
 * wrong and keep their message; anything else is a fault of ours, logged in full and reported without detail.
 */
record ApiFailure(int status, String message) {

    private static final Logger LOG = LoggerFactory.getLogger(ApiFailure.class);

    static final String INTERNAL_ERROR = "internal error";

    /**
     * @param failure what went wrong (wrappers from futures are looked through)
     * @param request what was asked, for the log (e.g. {@code POST /api/agents/1001/login})
     */
    static ApiFailure of(Throwable failure, String request) {
        Throwable cause = unwrap(failure);
        if (cause instanceof CtiRequestException e) {
            int status = switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            };
            return new ApiFailure(status, e.getMessage());
        }
        if (cause instanceof RejectedExecutionException) {
            LOG.warn("{} refused: no thread free to serve it", request);
            return new ApiFailure(503, "server busy, try again");
        }
        LOG.error("{} failed", request, cause);
        return new ApiFailure(500, INTERNAL_ERROR);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
