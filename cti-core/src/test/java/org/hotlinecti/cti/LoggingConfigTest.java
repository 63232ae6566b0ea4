package org.hotlinecti.cti;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The shipped logback.xml must parse: when it does not, Logback silently falls back to DEBUG on the console. */
class LoggingConfigTest {

    @Test
    void theShippedLogbackConfigurationIsWellFormedAndLogsToStderr() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("logback.xml")) {
            assertThat(in).isNotNull();
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            assertThat(doc.getElementsByTagName("target").item(0).getTextContent()).isEqualTo("System.err");
        }
    }
}
