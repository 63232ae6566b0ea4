package org.hotlinecti.cti.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The web layer knows tickets only through the TicketStore contract; the JDBC store knows nothing of HTTP. */
class LayeringTest {

    private static final JavaClasses CTI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.hotlinecti.cti");

    @Test
    void theWebLayerUsesNoDatabaseTypes() {
        noClasses().that().resideInAPackage("org.hotlinecti.cti.web..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.h2..",
                        "org.flywaydb..", "com.zaxxer..", "org.hotlinecti.cti.ticket.jdbc..")
                .check(CTI);
    }

    @Test
    void theTicketStoreUsesNoHttpTypes() {
        noClasses().that().resideInAPackage("org.hotlinecti.cti.ticket..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..",
                        "org.hotlinecti.cti.web..")
                .check(CTI);
    }
}
