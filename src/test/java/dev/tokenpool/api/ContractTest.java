package dev.tokenpool.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.testing.Contract;
import org.junit.jupiter.api.Test;

/** The contract check that every deployed test's answers pass can tell a wrong answer. */
final class ContractTest {

  private static final Contract contract = Contract.load();
  private static final String ACTIVATE = "/api/tokens/activate";
  private static final String JSON = "application/json";
  private static final String GOOD =
      "{\"token_id\":\"0771fd79-26c1-41d2-bc44-3eaf61c33f9e\","
          + "\"user_id\":\"6f1c2a4e-1111-4222-8333-944455556666\",\"fence\":42,"
          + "\"activated_at\":\"2026-11-24T18:35:58.027Z\","
          + "\"expires_at\":\"2026-11-24T18:37:58.027Z\","
          + "\"hold_until\":\"2026-11-24T19:35:58.027Z\",\"evicted_user_id\":null}";

  @Test
  void aDocumentedAnswerPasses() {
    assertThatCode(() -> contract.assertConforms("POST", ACTIVATE, 200, JSON, GOOD))
        .doesNotThrowAnyException();
  }

  @Test
  void aBodyWithAWrongFieldNameOrFormatFails() {
    assertThatThrownBy(
            () ->
                contract.assertConforms(
                    "POST", ACTIVATE, 200, JSON, GOOD.replace("token_id", "tokenId")))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(
            () ->
                contract.assertConforms(
                    "POST", ACTIVATE, 200, JSON, GOOD.replace("2026-11-24T18:37:58.027Z", "soon")))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void anUndocumentedStatusOrContentTypeFails() {
    assertThatThrownBy(() -> contract.assertConforms("POST", ACTIVATE, 201, JSON, GOOD))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> contract.assertConforms("POST", ACTIVATE, 200, "text/html", "<p>"))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aProblemMustBeAProblem() {
    assertThatCode(
            () ->
                contract.assertConforms(
                    "GET",
                    "/api/tokens/0771fd79-26c1-41d2-bc44-3eaf61c33f9e",
                    404,
                    "application/problem+json",
                    "{\"type\":\"https://tokenpool.dev/problems/token-not-found\",\"title\":\"Token"
                        + " not found\",\"status\":404,\"detail\":\"No token"
                        + " 0771fd79-26c1-41d2-bc44-3eaf61c33f9e\",\"instance\":\"/api/tokens/0771fd79-26c1-41d2-bc44-3eaf61c33f9e\"}"))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                contract.assertConforms(
                    "GET",
                    "/api/tokens/0771fd79-26c1-41d2-bc44-3eaf61c33f9e",
                    404,
                    "application/problem+json",
                    "{\"error\":\"not found\"}"))
        .isInstanceOf(AssertionError.class);
  }
}
