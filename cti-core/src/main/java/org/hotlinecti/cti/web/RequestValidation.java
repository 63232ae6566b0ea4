package org.hotlinecti.cti.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hotlinecti.cti.api.CtiRequestException;
import org.hotlinecti.cti.api.CtiRequestException.Kind;

/** The limits on what desktops send, shared by the REST and WebSocket APIs; a violation is a 400 / error message. */
final class RequestValidation {

    static final int MAX_FORM_FIELDS = 50;
    static final int MAX_FIELD_NAME_LENGTH = 64;
    static final int MAX_FIELD_VALUE_LENGTH = 4000;
    static final int MAX_REASON_LENGTH = 32;

    private RequestValidation() {
    }

    /** A ticket form: a JSON object of at most 50 string values of at most 4000 characters each. */
    static Map<String, String> formFields(JsonNode fields) {
        if (fields == null || fields.isNull() || fields.isMissingNode()) {
            throw invalid("fields is required: a JSON object of strings");
        }
        if (!fields.isObject()) {
            throw invalid("fields must be a JSON object of strings");
        }
        if (fields.size() > MAX_FORM_FIELDS) {
            throw invalid("fields has " + fields.size() + " entries, at most " + MAX_FORM_FIELDS + " are allowed");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (name.isBlank() || name.length() > MAX_FIELD_NAME_LENGTH) {
                throw invalid("field name must be 1 to " + MAX_FIELD_NAME_LENGTH + " characters: \""
                        + abbreviate(name) + "\"");
            }
            JsonNode value = field.getValue();
            if (!value.isTextual()) {
                throw invalid("field " + name + " must be a string");
            }
            if (value.textValue().length() > MAX_FIELD_VALUE_LENGTH) {
                throw invalid("field " + name + " is longer than " + MAX_FIELD_VALUE_LENGTH + " characters");
            }
            result.put(name, value.textValue());
        }
        return result;
    }

    /** Why an agent pauses: a non-blank string of at most 32 characters. */
    static String pauseReason(JsonNode reason) {
        if (reason == null || !reason.isTextual() || reason.textValue().isBlank()) {
            throw invalid("reason is required: a string such as \"break\"");
        }
        String text = reason.textValue().strip();
        if (text.length() > MAX_REASON_LENGTH) {
            throw invalid("reason is longer than " + MAX_REASON_LENGTH + " characters");
        }
        return text;
    }

    /** A required, non-blank string property. */
    static String requiredText(JsonNode node, String name) {
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw invalid(name + " is required: a non-empty string");
        }
        return node.textValue();
    }

    static CtiRequestException invalid(String message) {
        return new CtiRequestException(Kind.INVALID, message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "…";
    }
}
