package io.relink.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.relink.events.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/ cannot be applied here (no cluster), so each kustomization is rendered ({@link Kustomize}) and every resource
 * is read into the Kubernetes API's own types (fabric8's models): a misspelt or misplaced field, a wrong type or a
 * patch that does not apply fails. Then everything the manifests name must exist in the services: ports, images,
 * probes, environment variables, consumer groups and topics.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("relink.root", "..")).toAbsolutePath().normalize();
    private static final Set<String> CORE_KINDS = Set.of("Deployment", "Service", "ConfigMap", "PodDisruptionBudget");
    /** Each consuming service's channel: the topic it reads and the group it reads it in. */
    private static final Map<String, String> CHANNELS = Map.of("matcher-service", "identity-events",
            "executor-service", "match-decisions");

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/local", "overlays/prod"})
    void everyKustomizationRendersToValidResourcesThatMatchTheServices(String kustomization) throws Exception {
        List<ObjectNode> resources = Kustomize.build(ROOT.resolve("k8s").resolve(kustomization));
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> byName = new HashMap<>();
        for (ObjectNode resource : resources) {
            String kind = resource.path("kind").asText();
            assertThat(resource.path("apiVersion").asText()).as("apiVersion of %s", Kustomize.describe(resource)).isNotBlank();
            assertThat(resource.path("metadata").path("name").asText()).as("name of a %s", kind).isNotBlank();
            assertThat(byName.put(kind + "/" + resource.path("metadata").path("name").asText(), resource))
                    .as("%s appears once", Kustomize.describe(resource)).isNull();
            Object typed = switch (kind) {
                case "Deployment" -> Kustomize.YAML.convertValue(resource, Deployment.class);
                case "Service" -> Kustomize.YAML.convertValue(resource, Service.class);
                case "ConfigMap" -> Kustomize.YAML.convertValue(resource, ConfigMap.class);
                case "PodDisruptionBudget" -> Kustomize.YAML.convertValue(resource, PodDisruptionBudget.class);
                case "KafkaTopic", "ScaledObject", "TriggerAuthentication" -> null; // custom resources: checked below
                default -> throw new AssertionError(kustomization + " renders a " + kind + " this check does not know");
            };
            unknownFields(typed, Kustomize.describe(resource), problems);
        }
        assertThat(problems).as("fields the Kubernetes API does not define (%s)", kustomization).isEmpty();

        for (String service : RunningServices.SERVICES) {
            checkService(service, DeploymentDescriptorsTest.environmentVariables(service), byName, kustomization);
        }
        checkService("console", DeploymentDescriptorsTest.environmentVariables("console", false), byName, kustomization);
        checkDisruptionBudgets(resources, byName);
        checkScaledObjects(resources, byName, kustomization);
        resources.stream().filter(r -> "KafkaTopic".equals(r.path("kind").asText())).forEach(KubernetesManifestsTest::checkTopic);
    }

    @Test
    void theTopicsComponentDeclaresEveryTopicTheServicesUse() throws IOException {
        Set<String> declared = Kustomize.documents(ROOT.resolve("k8s/components/strimzi-topics/kafka-topics.yaml")).stream()
                .map(t -> t.path("spec").path("topicName").asText()).collect(Collectors.toSet());
        Set<String> used = new java.util.HashSet<>(Set.of(Topics.IDENTITY, Topics.MATCH, Topics.CAMPAIGN, Topics.CAMPAIGN_DEAD_LETTERS));
        for (String service : RunningServices.SERVICES) {
            DeploymentDescriptorsTest.properties(service).forEach((key, value) -> {
                if (key.toString().matches("mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\.(topic|dead-letter-queue\\.topic)")) {
                    used.add(withoutPlaceholders(value.toString()));
                }
            });
        }
        used.remove("relink.unrouted"); // the outbox channel's fallback: every row names its topic
        used.remove("relink.external.identity-changes.v1"); // the change feed: an HR system's or IdP's topic, not Relink's
        assertThat(used).as("topics named in the services' configuration").contains(Topics.IDENTITY + ".matcher.dlq");
        assertThat(declared).containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void theCheckRejectsAnUnknownField() {
        // Guards the field check against passing vacuously: fabric8 keeps unknown fields instead of failing.
        ObjectNode deployment = Kustomize.YAML.createObjectNode();
        deployment.put("apiVersion", "apps/v1").put("kind", "Deployment").putObject("metadata").put("name", "x");
        deployment.putObject("spec").put("replica", 2);
        List<String> problems = new ArrayList<>();
        unknownFields(Kustomize.YAML.convertValue(deployment, Deployment.class), "Deployment x", problems);
        assertThat(problems).singleElement().asString().contains("replica");
    }

    private static void checkService(String service, Set<String> known, Map<String, JsonNode> byName, String kustomization)
            throws IOException {
        JsonNode deploymentNode = byName.get("Deployment/" + service);
        assertThat(deploymentNode).as("%s renders a Deployment %s", kustomization, service).isNotNull();
        Deployment deployment = Kustomize.YAML.convertValue(deploymentNode, Deployment.class);
        int port = DeploymentDescriptorsTest.httpPort(service);

        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo(DeploymentDescriptorsTest.image(service));
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(port);
        assertThat(container.getPorts().get(0).getName()).isEqualTo("http");
        for (var probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            assertThat(probe).as("probes of %s", service).isNotNull();
            HTTPGetAction get = probe.getHttpGet();
            assertThat(get.getPath()).startsWith("/q/health/");
            assertThat(get.getPort().getStrVal()).isEqualTo("http");
        }
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/name", service));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", service);

        String configMapName = container.getEnvFrom().get(0).getConfigMapRef().getName();
        JsonNode configMap = byName.get("ConfigMap/" + configMapName);
        assertThat(configMap).as("ConfigMap %s of %s", configMapName, service).isNotNull();
        configMap.path("data").fields().forEachRemaining(entry -> {
            assertThat(known).as("variables %s reads", service).contains(entry.getKey());
            assertThat(entry.getValue().isTextual()).as("%s is a string", entry.getKey()).isTrue();
        });
        for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            assertThat(known).as("variables %s reads", service).contains(env.getName());
        }
        var mounts = container.getVolumeMounts() == null ? List.<io.fabric8.kubernetes.api.model.VolumeMount>of() : container.getVolumeMounts();
        Set<String> volumes = deployment.getSpec().getTemplate().getSpec().getVolumes() == null ? Set.of()
                : deployment.getSpec().getTemplate().getSpec().getVolumes().stream().map(v -> v.getName()).collect(Collectors.toSet());
        mounts.forEach(mount -> assertThat(volumes).as("volumes of %s", service).contains(mount.getName()));
        // A file the configuration points at must be mounted.
        configMap.path("data").fields().forEachRemaining(entry -> {
            if (entry.getValue().asText().startsWith("/")) {
                assertThat(mounts).as("%s=%s is mounted", entry.getKey(), entry.getValue().asText())
                        .anyMatch(m -> entry.getValue().asText().startsWith(m.getMountPath() + "/"));
            }
        });

        Service k8sService = Kustomize.YAML.convertValue(byName.get("Service/" + service), Service.class);
        assertThat(k8sService.getSpec().getPorts().get(0).getPort()).isEqualTo(port);
        assertThat(k8sService.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
        assertThat(k8sService.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    }

    /** Every budget selects a Deployment, and none can block a node drain (one replica with minAvailable 1 would). */
    private static void checkDisruptionBudgets(List<ObjectNode> resources, Map<String, JsonNode> byName) {
        List<ObjectNode> budgets = resources.stream().filter(r -> "PodDisruptionBudget".equals(r.path("kind").asText())).toList();
        assertThat(budgets).hasSize(RunningServices.SERVICES.length);
        for (ObjectNode node : budgets) {
            PodDisruptionBudget budget = Kustomize.YAML.convertValue(node, PodDisruptionBudget.class);
            JsonNode deploymentNode = byName.get("Deployment/" + budget.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/name"));
            assertThat(deploymentNode).as("the Deployment %s selects", Kustomize.describe(node)).isNotNull();
            Deployment deployment = Kustomize.YAML.convertValue(deploymentNode, Deployment.class);
            int replicas = deployment.getSpec().getReplicas();
            if (budget.getSpec().getMinAvailable() != null) {
                assertThat(budget.getSpec().getMinAvailable().getIntVal()).as("%s with %d replica(s)", Kustomize.describe(node), replicas)
                        .isLessThan(replicas);
            } else {
                assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isPositive();
            }
        }
    }

    /** KEDA: each ScaledObject scales a Deployment on the lag of the group and topic that service really consumes. */
    private static void checkScaledObjects(List<ObjectNode> resources, Map<String, JsonNode> byName, String kustomization) throws IOException {
        Map<String, Integer> partitions = new HashMap<>();
        Kustomize.documents(ROOT.resolve("k8s/components/strimzi-topics/kafka-topics.yaml"))
                .forEach(t -> partitions.put(t.path("spec").path("topicName").asText(), t.path("spec").path("partitions").asInt()));
        for (ObjectNode scaled : resources.stream().filter(r -> "ScaledObject".equals(r.path("kind").asText())).toList()) {
            assertThat(scaled.path("apiVersion").asText()).isEqualTo("keda.sh/v1alpha1");
            String service = scaled.path("spec").path("scaleTargetRef").path("name").asText();
            assertThat(byName).as("%s scales a Deployment", Kustomize.describe(scaled)).containsKey("Deployment/" + service);
            assertThat(CHANNELS).as("%s consumes a topic", service).containsKey(service);
            Properties config = DeploymentDescriptorsTest.properties(service);
            String channel = "mp.messaging.incoming." + CHANNELS.get(service);
            String topic = withoutPlaceholders(config.getProperty(channel + ".topic"));
            int min = scaled.path("spec").path("minReplicaCount").asInt();
            int max = scaled.path("spec").path("maxReplicaCount").asInt();
            assertThat(min).isPositive().isLessThanOrEqualTo(max);
            assertThat(max).as("replicas beyond the partitions of %s would idle", topic).isLessThanOrEqualTo(partitions.get(topic));
            assertThat(scaled.path("spec").path("triggers")).hasSize(1);
            JsonNode trigger = scaled.path("spec").path("triggers").get(0);
            assertThat(trigger.path("type").asText()).isEqualTo("kafka");
            JsonNode metadata = trigger.path("metadata");
            assertThat(metadata.path("consumerGroup").asText()).isEqualTo(withoutPlaceholders(config.getProperty(channel + ".group.id")));
            assertThat(metadata.path("topic").asText()).isEqualTo(topic);
            assertThat(Long.parseLong(metadata.path("lagThreshold").asText())).isPositive();
            String configMap = Kustomize.YAML.convertValue(byName.get("Deployment/" + service), Deployment.class).getSpec()
                    .getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0).getConfigMapRef().getName();
            assertThat(metadata.path("bootstrapServers").asText()).as("KEDA reads the Kafka %s uses", service)
                    .isEqualTo(byName.get("ConfigMap/" + configMap).path("data").path("RELINK_KAFKA_BOOTSTRAP").asText());
            if (trigger.has("authenticationRef")) {
                assertThat(byName).as("%s: its TriggerAuthentication (%s)", Kustomize.describe(scaled), kustomization)
                        .containsKey("TriggerAuthentication/" + trigger.path("authenticationRef").path("name").asText());
            }
        }
    }

    private static void checkTopic(JsonNode topic) {
        JsonNode spec = topic.path("spec");
        assertThat(topic.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
        assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isNotBlank();
        assertThat(spec.path("topicName").asText()).isNotBlank();
        assertThat(spec.path("partitions").isInt() && spec.path("partitions").asInt() > 0).as("partitions of %s", Kustomize.describe(topic)).isTrue();
        assertThat(spec.path("replicas").isInt() && spec.path("replicas").asInt() > 0).as("replicas of %s", Kustomize.describe(topic)).isTrue();
        assertThat(spec.path("config").path("min.insync.replicas").asInt()).isBetween(1, spec.path("replicas").asInt());
        assertThat(spec.path("config").path("retention.ms").asLong()).isGreaterThanOrEqualTo(7L * 24 * 3600 * 1000);
    }

    /** Reports every field the Kubernetes model does not define: fabric8 keeps them as "additional properties". */
    private static void unknownFields(Object model, String path, List<String> problems) {
        if (model == null) {
            return;
        }
        if (model instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (model instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> unknownFields(value, path + "." + key, problems));
            return;
        }
        if (!model.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        try {
            for (Method getter : model.getClass().getMethods()) {
                if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                    continue;
                }
                Object value = getter.invoke(model);
                if ("getAdditionalProperties".equals(getter.getName())) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        problems.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(value, path + "." + getter.getName().substring(3), problems);
                }
            }
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }


    /**
     * A configured name with each placeholder replaced by its default: {@code ${RELINK_GROUP_PREFIX:}relink-matcher} →
     * relink-matcher, {@code ${RELINK_CHANGE_FEED_TOPIC:relink.external.identity-changes.v1}} → its default.
     */
    private static String withoutPlaceholders(String value) {
        return value.replaceAll("\\$\\{[^}:]*(?::([^}]*))?}", "$1");
    }
}
