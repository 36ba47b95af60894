package io.relink.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.zjsonpatch.JsonPatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization as {@code kubectl apply -k} does, for the features Relink's manifests use: resources
 * (files and directories), components, namespace, replicas, and JSON 6902 patches (inline or from a file) chosen by
 * kind, name (a regular expression) and label selector. No kubectl runs here, and the one Debian ships embeds a
 * kustomize too old for overlays; anything else in a kustomization is refused, so the manifests cannot use a feature
 * this check would silently skip. A patch must apply (JSON Patch fails on a path that is not there) and must match
 * at least one resource.
 */
final class Kustomize {

    static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "components", "namespace",
            "replicas", "patches");

    private Kustomize() {
    }

    /** The resources the kustomization in {@code directory} renders to. */
    static List<ObjectNode> build(Path directory) throws IOException {
        Path file = directory.resolve("kustomization.yaml");
        if (!Files.exists(file)) {
            throw new AssertionError("no kustomization.yaml in " + directory);
        }
        JsonNode kustomization = YAML.readTree(file.toFile());
        Iterator<String> fields = kustomization.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (!SUPPORTED.contains(field)) {
                throw new AssertionError(file + ": '" + field + "' is not understood by this check");
            }
        }
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path path = directory.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(build(path));
            } else if (Files.exists(path)) {
                resources.addAll(documents(path));
            } else {
                throw new AssertionError(file + ": resource " + entry.asText() + " does not exist");
            }
        }
        for (JsonNode entry : kustomization.path("components")) {
            Path component = directory.resolve(entry.asText()).normalize();
            if (!"Component".equals(YAML.readTree(component.resolve("kustomization.yaml").toFile()).path("kind").asText())) {
                throw new AssertionError(file + ": " + entry.asText() + " is not a kustomize Component");
            }
            resources.addAll(build(component));
        }
        for (JsonNode replicas : kustomization.path("replicas")) {
            List<ObjectNode> targets = resources.stream().filter(r -> "Deployment".equals(r.path("kind").asText())
                    && replicas.path("name").asText().equals(r.path("metadata").path("name").asText())).toList();
            if (targets.isEmpty()) {
                throw new AssertionError(file + ": replicas for " + replicas.path("name").asText() + ", which is not a Deployment here");
            }
            targets.forEach(t -> ((ObjectNode) t.path("spec")).put("replicas", replicas.path("count").asInt()));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            JsonNode operations = patch.has("path") ? YAML.readTree(directory.resolve(patch.path("path").asText()).toFile())
                    : YAML.readTree(patch.path("patch").asText());
            if (!(operations instanceof ArrayNode)) {
                throw new AssertionError(file + ": only JSON 6902 patches (a list of operations) are used here");
            }
            JsonNode target = patch.path("target");
            int matched = 0;
            for (int i = 0; i < resources.size(); i++) {
                if (matches(target, resources.get(i))) {
                    try {
                        resources.set(i, (ObjectNode) JsonPatch.apply(operations, resources.get(i)));
                    } catch (RuntimeException e) {
                        throw new AssertionError(file + ": a patch does not apply to " + describe(resources.get(i)) + ": " + e.getMessage(), e);
                    }
                    matched++;
                }
            }
            if (matched == 0) {
                throw new AssertionError(file + ": a patch matches no resource: " + target);
            }
        }
        if (kustomization.has("namespace")) {
            resources.forEach(r -> ((ObjectNode) r.path("metadata")).put("namespace", kustomization.path("namespace").asText()));
        }
        return resources;
    }

    static List<ObjectNode> documents(Path file) throws IOException {
        List<ObjectNode> documents = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            var values = YAML.readValues(parser, ObjectNode.class);
            while (values.hasNext()) {
                documents.add(values.next());
            }
        }
        return documents;
    }

    static String describe(JsonNode resource) {
        return resource.path("kind").asText() + " " + resource.path("metadata").path("name").asText();
    }

    private static boolean matches(JsonNode target, JsonNode resource) {
        if (target.has("kind") && !target.path("kind").asText().equals(resource.path("kind").asText())) {
            return false;
        }
        if (target.has("name") && !resource.path("metadata").path("name").asText().matches(target.path("name").asText())) {
            return false;
        }
        if (target.has("labelSelector")) {
            // Equality-based requirements, as kubectl reads them: key=value, key!=value (an absent label differs).
            for (String requirement : target.path("labelSelector").asText().split(",")) {
                boolean negated = requirement.contains("!=");
                String[] pair = requirement.split(negated ? "!=" : "==?", 2);
                boolean equal = pair[1].strip().equals(resource.path("metadata").path("labels").path(pair[0].strip()).asText(null));
                if (equal == negated) {
                    return false;
                }
            }
        }
        return true;
    }
}
