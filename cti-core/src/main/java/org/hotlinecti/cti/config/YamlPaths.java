package org.hotlinecti.cti.config;

import com.fasterxml.jackson.databind.JsonMappingException;

/** Names where in a YAML document a binding error happened, as people write it: {@code calls[2].from}. */
public final class YamlPaths {

    private YamlPaths() {
    }

    public static String of(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.toString();
    }
}
