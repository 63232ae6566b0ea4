package org.hotlinecti.cti.asterisk.ami;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The AMI client is protocol only: no Asterisk-Java, no call model beyond the action outcome type. */
class AmiPackageBoundaryTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.hotlinecti.cti.asterisk.ami");

    @Test
    void usesNoAsteriskJava() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.asteriskjava..").check(classes);
    }

    @Test
    void knowsNothingOfTheCallModelButTheActionOutcome() {
        noClasses().should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                "call model types other than PbxActionException",
                c -> c.getPackageName().equals("org.hotlinecti.cti.call")
                        && !c.getName().startsWith("org.hotlinecti.cti.call.PbxActionException")))
                .check(classes);
    }
}
