package org.hotlinecti.cti.asterisk;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Asterisk-Java is an implementation detail of this package (DESIGN.md): no other code sees its types. */
class AsteriskJavaConfinementTest {

    private static final String ASTERISK_JAVA = "org.asteriskjava";

    @Test
    void onlyTheAsteriskPackageUsesAsteriskJava() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.hotlinecti");

        noClasses().that().resideOutsideOfPackage("org.hotlinecti.cti.asterisk..")
                .should().dependOnClassesThat().resideInAPackage(ASTERISK_JAVA + "..")
                .because("Asterisk-Java types never leave org.hotlinecti.cti.asterisk")
                .check(classes);
    }

    @Test
    void publicApiShowsNoAsteriskJavaType() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : List.of(AmiPbxAdapter.class, AmiSettings.class, AmiConnectException.class,
                org.hotlinecti.cti.asterisk.agi.FastAgiServer.class)) {
            Stream.of(type.getSuperclass()).filter(AsteriskJavaConfinementTest::isAsteriskJava)
                    .forEach(leak -> leaks.add(type.getSimpleName() + " extends " + leak.getName()));
            Stream.of(type.getInterfaces()).filter(AsteriskJavaConfinementTest::isAsteriskJava)
                    .forEach(leak -> leaks.add(type.getSimpleName() + " implements " + leak.getName()));
            List<Executable> members = new ArrayList<>(List.of(type.getConstructors()));
            members.addAll(List.of(type.getMethods()));
            for (Executable member : members) {
                if (!Modifier.isPublic(member.getModifiers())) {
                    continue;
                }
                Stream<Class<?>> types = Stream.concat(Stream.of(member.getParameterTypes()),
                        member instanceof Method method ? Stream.of(method.getReturnType())
                                : Stream.<Class<?>>empty());
                types.filter(AsteriskJavaConfinementTest::isAsteriskJava)
                        .forEach(leak -> leaks.add(type.getSimpleName() + "." + member.getName() + " uses "
                                + leak.getName()));
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static boolean isAsteriskJava(Class<?> type) {
        return type != null && type.getName().startsWith(ASTERISK_JAVA + ".");
    }
}
