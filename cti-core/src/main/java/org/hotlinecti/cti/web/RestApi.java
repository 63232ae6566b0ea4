package org.hotlinecti.cti.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hotlinecti.cti.api.AgentCommands;
import org.hotlinecti.cti.api.CtiRequestException;
import org.hotlinecti.cti.api.RoutingViews;
import org.hotlinecti.cti.api.StatusSource;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketQuery;
import org.hotlinecti.cti.ticket.TicketStore;
import org.hotlinecti.cti.ticket.journal.DurableTicketStore;
import org.hotlinecti.cti.ticket.ledger.CallEvent;
import org.hotlinecti.cti.ticket.ledger.CallLedger;

/**
 * The REST API under {@code /api}. Handlers run on the event loop: agent commands are asynchronous already, ticket
 * store calls go to the blocking executor, and every response is written back on the request's own context.
 */
final class RestApi {

    /** Large enough for a full form (50 fields of 4000 Chinese characters) in UTF-8. */
    static final long MAX_BODY_BYTES = 1024 * 1024;
    static final int DEFAULT_TICKET_LIMIT = 50;
    /** A request still unanswered after this gets a 503 (an agent command or the database is stuck). */
    static final long TIMEOUT_MILLIS = 15_000;
    private static final String JSON_UTF8 = "application/json; charset=utf-8";

    private final JsonCodec json;
    private final AgentCommands agents;
    private final TicketStore tickets;
    private final StatusSource status;
    private final Executor blocking;
    private final RoutingViews routing;
    private volatile IvrAdmin ivr;

    RestApi(JsonCodec json, AgentCommands agents, TicketStore tickets, StatusSource status, RoutingViews routing,
            Executor blocking) {
        this.json = json;
        this.routing = routing;
        this.agents = agents;
        this.tickets = tickets;
        this.status = status;
        this.blocking = blocking;
    }

    /** Enables {@code POST /api/ivr/reload}; until then it answers 404. */
    void ivrAdmin(IvrAdmin admin) {
        this.ivr = admin;
    }

    void mount(Router router) {
        router.route("/api/*").handler(TimeoutHandler.create(TIMEOUT_MILLIS, 503));
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.get("/api/status").handler(rc -> respond(rc, call(status::status), s -> s));
        if (routing != null) {
            router.get("/api/queues").handler(rc -> respond(rc, call(routing::queueBoard), board -> board));
            router.get("/api/callbacks").handler(rc -> respond(rc, call(routing::callbacks),
                    tasks -> Map.of("callbacks", tasks)));
        }
        router.get("/api/agents").handler(rc -> respond(rc, call(agents::agents), list -> list));
        router.post("/api/ivr/reload").handler(this::reloadIvr);
        router.post("/api/agents/:id/login").handler(rc -> respond(rc, call(() -> agents.login(id(rc))), v -> v));
        router.post("/api/agents/:id/ready").handler(rc -> respond(rc, call(() -> agents.ready(id(rc))), v -> v));
        router.post("/api/agents/:id/logout").handler(rc -> respond(rc, call(() -> agents.logout(id(rc))), v -> v));
        router.post("/api/agents/:id/pause").handler(rc -> respond(rc, call(() -> {
            String reason = RequestValidation.pauseReason(body(rc).get("reason"));
            return agents.notReady(id(rc), reason);
        }), v -> v));
        router.get("/api/tickets").handler(this::listTickets);
        router.get("/api/tickets/:number").handler(rc -> {
            String number = rc.pathParam("number");
            respond(rc, blocking(() -> tickets.byNumber(number)), found -> found.orElseThrow(
                    () -> new CtiRequestException(CtiRequestException.Kind.NOT_FOUND, "no ticket " + number)));
        });
        router.get("/api/tickets/:number/ledger").handler(rc -> {
            String number = rc.pathParam("number");
            respond(rc, blocking(() -> {
                Ticket ticket = tickets.byNumber(number).orElseThrow(
                        () -> new CtiRequestException(CtiRequestException.Kind.NOT_FOUND, "no ticket " + number));
                // the journaled store is also the call ledger; a plain store keeps no events
                List<CallEvent> events = tickets instanceof CallLedger ledger
                        ? ledger.eventsOf(ticket.call().linkedId()) : List.of();
                return Map.of("number", number, "linked_id", ticket.call().linkedId(), "events", events);
            }), body -> body);
        });
        router.get("/api/journal").handler(rc -> {
            if (!(tickets instanceof DurableTicketStore durable)) {
                fail(rc, new CtiRequestException(CtiRequestException.Kind.NOT_FOUND, "no ticket journal"));
                return;
            }
            respond(rc, CompletableFuture.completedFuture(null),
                    v -> Map.of("stats", durable.stats(), "replay", durable.replayReport()));
        });
        router.put("/api/tickets/drafts/:draftId/form").handler(rc -> respond(rc, call(() -> {
            String agent = rc.queryParams().get("agent");
            if (agent == null || agent.isBlank()) {
                throw RequestValidation.invalid("query parameter agent is required");
            }
            Map<String, String> fields = RequestValidation.formFields(body(rc).get("fields"));
            return agents.submitForm(agent, rc.pathParam("draftId"), fields);
        }), v -> v));
    }

    private void listTickets(RoutingContext rc) {
        TicketQuery query;
        try {
            Disposition disposition = disposition(filter(rc, "disposition"));
            Instant from = instantParam(rc, "from");
            Instant to = instantParam(rc, "to");
            int limit = intParam(rc, "limit", DEFAULT_TICKET_LIMIT, 1, TicketQuery.MAX_LIMIT);
            int offset = intParam(rc, "offset", 0, 0, Integer.MAX_VALUE);
            if (from != null && to != null && !to.isAfter(from)) {
                throw RequestValidation.invalid("to must be after from, was from=" + from + " to=" + to);
            }
            query = new TicketQuery(filter(rc, "number"), filter(rc, "caller"), filter(rc, "line"),
                    filter(rc, "department"), filter(rc, "agent"), disposition, from, to, limit, offset);
        } catch (CtiRequestException e) {
            fail(rc, e);
            return;
        }
        respond(rc, blocking(() -> tickets.find(query)), found -> Map.of("tickets", found));
    }

    private static String id(RoutingContext rc) {
        return rc.pathParam("id");
    }

    private JsonNode body(RoutingContext rc) {
        String text = rc.body().asString();
        JsonNode node;
        try {
            node = text == null || text.isBlank() ? null : json.parse(text);
        } catch (IllegalArgumentException e) {
            throw RequestValidation.invalid("request body is " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw RequestValidation.invalid("request body must be a JSON object");
        }
        return node;
    }

    private static String filter(RoutingContext rc, String name) {
        String value = rc.queryParams().get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int intParam(RoutingContext rc, String name, int absent, int min, int max) {
        String value = filter(rc, name);
        if (value == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RequestValidation.invalid(name + " must be an integer from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ", was \"" + value + "\"");
    }

    /** An ISO-8601 instant with offset, e.g. {@code 2026-11-22T00:00:00+08:00} or {@code 2026-11-21T16:00:00Z}. */
    private static Instant instantParam(RoutingContext rc, String name) {
        String value = filter(rc, name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw RequestValidation.invalid(name + " must be a date-time with offset such as"
                    + " 2026-11-22T00:00:00+08:00, was \"" + value + "\"");
        }
    }

    private static Disposition disposition(String value) {
        if (value == null) {
            return null;
        }
        return Arrays.stream(Disposition.values())
                .filter(d -> d.wireName().equals(value))
                .findFirst()
                .orElseThrow(() -> RequestValidation.invalid("disposition must be one of "
                        + Arrays.stream(Disposition.values()).map(Disposition::wireName)
                                .collect(Collectors.joining(", ")) + ", was \"" + value + "\""));
    }

    private <T> CompletionStage<T> blocking(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, blocking);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Runs a call that returns a stage; a call that throws fails the stage instead. */
    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> void respond(RoutingContext rc, CompletionStage<T> outcome, Function<T, Object> toBody) {
        Context context = rc.vertx().getOrCreateContext();
        outcome.whenComplete((value, failure) -> context.runOnContext(v -> {
            if (rc.response().ended() || rc.response().closed()) {
                return;
            }
            if (failure != null) {
                fail(rc, failure);
                return;
            }
            String text;
            try {
                text = json.encode(toBody.apply(value));
            } catch (RuntimeException e) {
                fail(rc, e);
                return;
            }
            rc.response().putHeader("Content-Type", JSON_UTF8).end(text);
        }));
    }

    private void fail(RoutingContext rc, Throwable failure) {
        ApiFailure f = ApiFailure.of(failure, rc.request().method() + " " + rc.request().path());
        sendError(rc, f.status(), f.message());
    }

    /**
     * {@code POST /api/ivr/reload}: 200 {@code {"activated": true, "problems": [warnings]}}, or 400 with
     * {@code "activated": false}, an {@code error} and every problem ({@code file, line, severity, message}) when
     * the files have errors (the flows in force stay).
     */
    private void reloadIvr(RoutingContext rc) {
        IvrAdmin admin = ivr;
        if (admin == null) {
            sendError(rc, 404, "the IVR cannot be reloaded on this server");
            return;
        }
        Context context = rc.vertx().getOrCreateContext();
        blocking(admin::reload).whenComplete((result, failure) -> context.runOnContext(v -> {
            if (rc.response().ended() || rc.response().closed()) {
                return;
            }
            if (failure != null) {
                fail(rc, failure);
                return;
            }
            ObjectNode body = json.newObject();
            body.put("activated", result.activated());
            if (!result.activated()) {
                body.put("error", "the IVR files have " + result.errors().size()
                        + " error(s); the flows in force stay");
            }
            com.fasterxml.jackson.databind.node.ArrayNode problems = body.putArray("problems");
            for (org.hotlinecti.ivr.yaml.Problem p : result.problems()) {
                ObjectNode n = problems.addObject();
                n.put("file", p.source());
                n.put("line", p.line());
                n.put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT));
                n.put("message", p.message());
            }
            rc.response().setStatusCode(result.activated() ? 200 : 400).putHeader("Content-Type", JSON_UTF8)
                    .end(json.encode(body));
        }));
    }

    /** Writes {@code {"error": message}} with the status, unless a response already went out. */
    void sendError(RoutingContext rc, int status, String message) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        ObjectNode body = json.newObject();
        body.put("error", message);
        rc.response().setStatusCode(status).putHeader("Content-Type", JSON_UTF8).end(json.encode(body));
    }

    /** The JSON errors for failures the router itself detects (no route, wrong method, body too large ...). */
    void mountErrorHandlers(Router router) {
        for (Map.Entry<Integer, String> e : Map.of(
                400, "bad request",
                404, "not found",
                405, "method not allowed",
                413, "request body larger than " + MAX_BODY_BYTES + " bytes",
                503, "request timed out").entrySet()) {
            router.errorHandler(e.getKey(), rc -> sendError(rc, e.getKey(), e.getValue()));
        }
        router.errorHandler(500, rc -> {
            Throwable failure = rc.failure();
            ApiFailure f = failure == null ? new ApiFailure(500, ApiFailure.INTERNAL_ERROR)
                    : ApiFailure.of(failure, rc.request().method() + " " + rc.request().path());
            sendError(rc, f.status(), f.message());
        });
    }
}
