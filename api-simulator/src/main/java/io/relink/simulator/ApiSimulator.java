package io.relink.simulator;

import io.relink.simulator.api.AdminApi;
import io.relink.simulator.api.AtlassianAdminApi;
import io.relink.simulator.api.GraphApi;
import io.relink.simulator.api.IdentityPlatformApi;
import io.relink.simulator.api.ScimApi;
import io.relink.simulator.model.OrgSeeder;
import io.relink.simulator.model.SeedSpec;
import io.relink.simulator.model.SimulatedOrg;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The running simulator: one HTTP server serving every simulated API, one simulated world. Start it with
 * {@link #start}; {@link #close} stops it. All state changes happen on the server's event-loop thread.
 */
public final class ApiSimulator implements AutoCloseable {

    /** Largest request body accepted (bigger bodies answer 413). */
    private static final long MAX_BODY_BYTES = 10L * 1024 * 1024;

    private final SimulatorConfig config;
    private final Vertx vertx;
    private final CallCounters counters = new CallCounters();
    private final RateLimits rateLimits;
    private final ProvisioningService provisioning = new ProvisioningService(this);
    private Endpoints endpoints;
    private HttpServer server;
    private volatile SimulatedOrg org;
    private volatile SeedSpec lastSeed;
    private volatile Instant deltaTokensValidFrom = Instant.EPOCH;

    private ApiSimulator(SimulatorConfig config, SeedSpec seed) {
        this.config = config;
        this.vertx = Vertx.vertx();
        this.rateLimits = new RateLimits(config);
        seed(seed);
    }

    public static ApiSimulator start(SimulatorConfig config, SeedSpec seed) {
        ApiSimulator sim = new ApiSimulator(config, seed);
        Router router = Router.router(sim.vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        sim.endpoints = new Endpoints(sim.vertx, router, config, sim.rateLimits, sim.counters);
        new AtlassianAdminApi(sim).register(sim.endpoints);
        new ScimApi(sim).register(sim.endpoints);
        new GraphApi(sim).register(sim.endpoints);
        new IdentityPlatformApi(sim).register(sim.endpoints);
        new AdminApi(sim).register(sim.endpoints);
        try {
            sim.server = sim.vertx.createHttpServer().requestHandler(router)
                    .listen(config.port(), config.host())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sim.close();
            throw new IllegalStateException("Interrupted while starting the simulator", e);
        } catch (ExecutionException | TimeoutException e) {
            sim.close();
            throw new IllegalStateException("The simulator could not listen on " + config.host() + ":" + config.port(), e);
        }
        return sim;
    }

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return "http://" + config.host() + ":" + port();
    }

    /** Replaces the world with a freshly seeded one; counters start again at zero. */
    public void seed(SeedSpec spec) {
        SimulatedOrg seeded = OrgSeeder.seed(spec);
        lastSeed = spec;
        counters.reset();
        org = seeded;
    }

    /** Seeds again from the last spec, and clears injected faults. */
    public void reset() {
        seed(lastSeed);
        if (endpoints != null) {
            endpoints.clearFaults();
        }
        deltaTokensValidFrom = Instant.EPOCH;
    }

    /** Every delta token issued until now answers 410 syncStateNotFound. */
    public void expireDeltaTokens() {
        deltaTokensValidFrom = Instant.now().plusMillis(1);
    }

    public Instant deltaTokensValidFrom() {
        return deltaTokensValidFrom;
    }

    public SimulatedOrg org() {
        return org;
    }

    public SimulatorConfig config() {
        return config;
    }

    public Vertx vertx() {
        return vertx;
    }

    public CallCounters counters() {
        return counters;
    }

    public RateLimits rateLimits() {
        return rateLimits;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public ProvisioningService provisioning() {
        return provisioning;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway
        }
    }
}
