package org.hotlinecti.cti;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The CTI's layers: the call model, its contracts and the configuration are free of protocol, HTTP and database
 * types (adapters live behind ports); HTTP types stay in the web package (plus the composition root that creates the
 * Vert.x instance); the web layer knows tickets only through the TicketStore contract, and the JDBC store knows
 * nothing of HTTP.
 */
class LayeringTest {

    private static final JavaClasses CTI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.hotlinecti.cti");

    @Test
    void theCallModelAndItsContractsKnowNoProtocolHttpOrDatabase() {
        noClasses().that().resideInAnyPackage("org.hotlinecti.cti.call..", "org.hotlinecti.cti.api..",
                        "org.hotlinecti.cti.config..")
                .should().dependOnClassesThat().resideInAnyPackage("org.asteriskjava..", "io.vertx..", "io.netty..",
                        "java.sql..", "javax.sql..", "org.h2..", "org.flywaydb..", "com.zaxxer..",
                        "org.hotlinecti.cti.asterisk..", "org.hotlinecti.cti.web..", "org.hotlinecti.cti.ticket.jdbc..")
                .check(CTI);
    }

    /** The FastAGI server runs on Vert.x's TCP server (io.vertx.core.net), no HTTP; it may use Vert.x too. */
    @Test
    void httpTypesStayInTheWebPackageAndTheCompositionRoot() {
        noClasses().that().resideOutsideOfPackage("org.hotlinecti.cti.web..")
                .and().resideOutsideOfPackage("org.hotlinecti.cti.asterisk.ami..")
                .and().resideOutsideOfPackage("org.hotlinecti.cti.asterisk.agi..")
                .and().doNotHaveFullyQualifiedName(CtiServer.class.getName())
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..")
                .check(CTI);
    }

    /** The AMI client runs on Vert.x core's TCP client and event loop, but never touches HTTP. */
    @Test
    void theAmiClientUsesVertxTcpOnly() {
        noClasses().that().resideInAPackage("org.hotlinecti.cti.asterisk.ami..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.http..", "io.vertx.ext..",
                        "io.netty.handler.codec.http..", "org.hotlinecti.cti.web..")
                .check(CTI);
    }

    @Test
    void theFastAgiServerUsesNoHttp() {
        noClasses().that().resideInAPackage("org.hotlinecti.cti.asterisk.agi..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.http..", "io.vertx.ext..",
                        "io.netty.handler.codec.http..", "org.hotlinecti.cti.web..", "org.asteriskjava..")
                .check(CTI);
    }

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
