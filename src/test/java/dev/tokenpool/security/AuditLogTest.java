package dev.tokenpool.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class AuditLogTest {

  @Test
  void aLineIsKeyValuePairsWithQuotedValues() {
    assertThat(AuditLog.line("tokens-clear", "ops", "jwt", "cleared", 3))
        .isEqualTo("action=tokens-clear principal=\"ops\" via=\"jwt\" cleared=\"3\"");
  }

  @Test
  void aCraftedNameCannotForgeALineOrAField() {
    assertThat(AuditLog.line("admin", "eve\nFAKE action=x\" principal=\"root", "basic"))
        .isEqualTo(
            "action=admin principal=\"eve?FAKE action=x\\\" principal=\\\"root\" via=\"basic\"");
  }
}
