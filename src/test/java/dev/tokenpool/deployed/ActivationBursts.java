package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Parallel;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bursts of simultaneous activations over HTTP against the real WAR, into a pool of {@value
 * #POOL_SIZE}: every request is answered 200, whatever the contention. Each database the product
 * supports runs it through a subclass that deploys the WAR on it.
 */
abstract class ActivationBursts {

  static final int POOL_SIZE = 100;
  static final int CLIENTS = 64;
  static final int PER_CLIENT = 30;

  @ArquillianResource URL base;

  private ApiClient api;

  @BeforeEach
  void startFromAnEmptyPool() {
    api = ApiClient.operator(base);
    assertThat(api.delete("/api/tokens/active").status()).isEqualTo(200);
  }

  @Test
  void everyActivationOfABurstOfDistinctUsersSucceeds() throws Exception {
    List<Reply> replies =
        inParallel(
                client ->
                    () -> {
                      List<Reply> mine = new ArrayList<>();
                      for (int i = 0; i < PER_CLIENT; i++) {
                        mine.add(api.activate(UUID.randomUUID().toString()));
                      }
                      return mine;
                    })
            .stream()
            .flatMap(List::stream)
            .toList();

    assertThat(replies).hasSize(CLIENTS * PER_CLIENT);
    assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    assertThat(replies.stream().filter(r -> !r.json().get("evicted_user_id").isNull()))
        .hasSize(CLIENTS * PER_CLIENT - POOL_SIZE);
    assertThat(api.get("/api/tokens").json().get("active_count").asInt()).isEqualTo(POOL_SIZE);
  }

  @Test
  void simultaneousFirstActivationsOfOneUserAllGetTheSameToken() throws Exception {
    String user = UUID.randomUUID().toString();

    List<Reply> replies = inParallel(client -> () -> api.activate(user));

    assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    Set<String> tokens = new HashSet<>();
    Set<String> activations = new HashSet<>();
    replies.forEach(
        r -> {
          tokens.add(r.text("token_id"));
          activations.add(r.text("activated_at"));
        });
    assertThat(tokens).hasSize(1);
    assertThat(activations).hasSize(1);
    String token = tokens.iterator().next();
    List<String> holders = new ArrayList<>();
    api.get("/api/tokens/" + token + "/history?limit=1000")
        .json()
        .get("history")
        .forEach(usage -> holders.add(usage.get("user_id").asText()));
    assertThat(holders).filteredOn(user::equals).hasSize(1);
    assertThat(api.get("/api/tokens").json().get("active_count").asInt()).isEqualTo(1);
  }

  /** Starts one task per client at once and returns their results. */
  private static <T> List<T> inParallel(IntFunction<Callable<T>> task) throws Exception {
    return Parallel.atOnce(CLIENTS, task, Duration.ofMinutes(3));
  }
}
