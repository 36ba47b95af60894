package io.relink.simulator;

import io.relink.simulator.model.SeedSpec;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Standalone entry point ({@code ./relink simulator}). Settings come from RELINK_SIM_* environment
 * variables; {@code --port N} and {@code --accounts N} override the port and the seeded org size.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = new HashMap<>(System.getenv());
        Integer accounts = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> env.put("RELINK_SIM_PORT", value(args, ++i, "--port"));
                case "--accounts" -> accounts = Integer.parseInt(value(args, ++i, "--accounts"));
                case "-h", "--help" -> {
                    System.out.println("usage: simulator [--port N] [--accounts N]   (environment: RELINK_SIM_*)");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + "; see --help");
                    System.exit(2);
                }
            }
        }
        SimulatorConfig config = SimulatorConfig.fromEnvironment(env);
        SeedSpec seed = accounts == null ? SeedSpec.defaults()
                : new SeedSpec(null, null, null, null, accounts, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
        ApiSimulator sim = ApiSimulator.start(config, seed);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }));
        System.out.printf("API simulator listening on %s (org %s, %d accounts, %d Entra users)%n", sim.baseUrl(),
                sim.org().orgId, sim.org().accounts.size(), sim.org().entraUsers.size());
        System.out.println("Admin API key: Bearer " + config.adminApiKey() + " | SCIM: Bearer " + config.scimApiKey()
                + " | Graph: Bearer " + config.graphToken() + " | control: " + sim.baseUrl() + "/__admin/summary");
        stopped.await();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[index];
    }
}
