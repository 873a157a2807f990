package dev.tokenpool.api;

import dev.tokenpool.admin.HealthCheck;
import dev.tokenpool.admin.TokenPoolMetrics;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.events.EventRelay;
import dev.tokenpool.jobs.Jobs;
import dev.tokenpool.pools.PoolCatalogue;
import dev.tokenpool.pools.PoolDirectory;
import dev.tokenpool.security.ApiKeys;
import dev.tokenpool.tokens.RecentActivity;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.WaitingRoom;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The JAX-RS application, built from ready service objects by the composition root. */
public final class ApiApplication {

  private ApiApplication() {}

  /** Every resource class of the API (the contract test compares their routes with it). */
  static final List<Class<?>> RESOURCES =
      List.of(
          TokensResource.class,
          PoolTokensResource.class,
          PoolsAdminResource.class,
          UsersResource.class,
          EventsResource.class,
          JobRunsResource.class,
          AdminResource.class,
          HealthResource.class,
          MetricsResource.class,
          OpenApiResource.class);

  public static ResourceConfig create(
      String nodeId,
      TokenService tokens,
      PoolDirectory pools,
      PoolCatalogue catalogue,
      PoolSettings poolDefaults,
      WaitingRoom waitingRoom,
      EventRelay events,
      RecentActivity activity,
      Jobs jobs,
      ApiKeys apiKeys,
      ApiSecurity security,
      HealthCheck health,
      TokenPoolMetrics metrics) {
    ResourceConfig config = new ResourceConfig();
    registerProviders(config, security, metrics.registry());
    // Resources are bound as ready instances and registered by class; registering instances
    // directly works too but makes Jersey log a spurious warning per resource.
    TokensResource tokensResource = new TokensResource(pools, waitingRoom, security.audit());
    PoolTokensResource poolTokensResource =
        new PoolTokensResource(pools, waitingRoom, security.audit());
    PoolsAdminResource poolsAdminResource = new PoolsAdminResource(catalogue, poolDefaults);
    UsersResource usersResource = new UsersResource(tokens, pools);
    EventsResource eventsResource = new EventsResource(events, pools);
    JobRunsResource runsResource = new JobRunsResource(jobs.history());
    AdminResource adminResource =
        new AdminResource(
            nodeId,
            waitingRoom,
            events,
            health.draining(),
            pools,
            activity,
            jobs.cluster(),
            jobs.control(),
            jobs.history(),
            jobs.expiry(),
            apiKeys,
            security.sessions());
    HealthResource healthResource = new HealthResource(health);
    MetricsResource metricsResource = new MetricsResource(metrics);
    OpenApiResource openApiResource = OpenApiResource.load();
    config.register(
        new AbstractBinder() {
          @Override
          protected void configure() {
            bind(tokensResource).to(TokensResource.class);
            bind(poolTokensResource).to(PoolTokensResource.class);
            bind(poolsAdminResource).to(PoolsAdminResource.class);
            bind(usersResource).to(UsersResource.class);
            bind(eventsResource).to(EventsResource.class);
            bind(runsResource).to(JobRunsResource.class);
            bind(adminResource).to(AdminResource.class);
            bind(healthResource).to(HealthResource.class);
            bind(metricsResource).to(MetricsResource.class);
            bind(openApiResource).to(OpenApiResource.class);
          }
        });
    RESOURCES.forEach(config::register);
    return config;
  }

  /**
   * Everything of the API but its resources: JSON, filters, admin guards, problem mappers and
   * settings. Separate so that tests can serve their own resources with exactly these.
   */
  static void registerProviders(
      ResourceConfig config, ApiSecurity security, MeterRegistry registry) {
    // Our own mappers answer JSON errors as problem documents, so Jackson's must stay out.
    config.register(JacksonFeature.withoutExceptionMappers());
    config.register(new ApiObjectMapper());
    config.register(new RequestSizeLimitFilter());
    config.register(new HttpMetricsFilter(registry));
    LoginGuard guard = new LoginGuard(security.failedLogins(), security.audit());
    OperatorAuthentication operators =
        new OperatorAuthentication(
            security.credentials(), security.clients(), security.sessions(), guard);
    config.register(new AdminAuthFilter(operators));
    config.register(new AdminResourceGuard(operators));
    config.register(new OperatorAudit(security.audit()));
    ClientAuthFilter clients =
        new ClientAuthFilter(security.clients(), security.rateLimit(), guard);
    config.register(clients);
    config.register(new ClientAuthFilter.Binding(clients));
    ProblemMappers.all().forEach(config::register);
    config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
    // Every feature is registered here: nothing to discover on the class path at startup.
    config.property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
    config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
  }
}
