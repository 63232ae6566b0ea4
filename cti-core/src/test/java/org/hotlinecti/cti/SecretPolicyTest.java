package org.hotlinecti.cti;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hotlinecti.cti.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"amp111", "AMP111", "admin", "secret", "password", "changeme", "1234", "cti-secret",
        "change-this-ami-secret", " Password "})
    void knownDefaultsAreRefused(String secret) {
        assertThatThrownBy(() -> SecretPolicy.check(secret)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("well-known default");
    }

    @Test
    void emptyOrBlankIsRefusedNamingTheEnvironmentVariable() {
        assertThatThrownBy(() -> SecretPolicy.check("")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("HOTLINE_AMI_SECRET");
        assertThatThrownBy(() -> SecretPolicy.check(null)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> SecretPolicy.check("        ")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("blank");
    }

    @Test
    void shortSecretsAreRefused() {
        assertThatThrownBy(() -> SecretPolicy.check("x7#kQ2")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("shorter than 8");
    }

    @Test
    void anOwnLongSecretIsAccepted() {
        assertThatCode(() -> SecretPolicy.check("k3J9-vQ2x-Lm8P")).doesNotThrowAnyException();
    }
}
