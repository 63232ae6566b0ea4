package org.hotlinecti.cti.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.ticket.Ticket;

/**
 * The WebSocket messages, each a JSON object whose {@code type} says what it is:
 * <pre>
 * {"type":"agent","agent":{AgentView}}
 * {"type":"screen_pop", ...the ScreenPop's fields...}
 * {"type":"ticket","ticket":{flat ticket}}
 * {"type":"ack","request":"login"}
 * {"type":"error","request":"login","error":"why"}     (request is null when the message had no usable type)
 * </pre>
 */
final class DesktopMessages {

    private final JsonCodec json;

    DesktopMessages(JsonCodec json) {
        this.json = json;
    }

    String agent(AgentView agent) {
        ObjectNode message = typed("agent");
        message.set("agent", json.toTree(agent));
        return json.encode(message);
    }

    String screenPop(ScreenPop pop) {
        ObjectNode message = typed("screen_pop");
        message.setAll((ObjectNode) json.toTree(pop));
        return json.encode(message);
    }

    String ticket(Ticket ticket) {
        ObjectNode message = typed("ticket");
        message.set("ticket", json.toTree(ticket));
        return json.encode(message);
    }

    String ack(String request) {
        ObjectNode message = typed("ack");
        message.put("request", request);
        return json.encode(message);
    }

    String error(String request, String error) {
        ObjectNode message = typed("error");
        message.put("request", request);
        message.put("error", error);
        return json.encode(message);
    }

    private ObjectNode typed(String type) {
        ObjectNode message = json.newObject();
        message.put("type", type);
        return message;
    }
}
