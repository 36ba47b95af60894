package io.relink.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The AsyncAPI 3.0 document of Relink's topics, generated from the event contract: the topics ({@link Topics}), the
 * event types ({@link EventTypes}) and their JSON Schemas ({@code schemas/<type>.json}), and who sends and receives
 * what. {@code events/asyncapi.json} is this document; {@code AsyncApiTest} fails when it is out of date and says how
 * to write it again.
 */
public final class AsyncApi {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A topic: its address, what its record key is, the event types on it, who writes and who reads it. */
    record Channel(String id, String address, String description, String key, List<String> types, String sender,
                   List<String> receivers) {
    }

    static final List<Channel> CHANNELS = List.of(
            new Channel("identity", Topics.IDENTITY,
                    "Identity changes of every source's newest snapshot, then the snapshot's completion.",
                    "source name + '/' + external id (one identity's changes stay in order on one partition)",
                    List.of(EventTypes.IDENTITY_CHANGED_V1, EventTypes.SNAPSHOT_COMPLETED_V1), "inventory-service",
                    List.of("matcher-service")),
            new Channel("match", Topics.MATCH,
                    "The matcher's decision per Atlassian account (every change of it), and people's review decisions.",
                    "Atlassian source + '/' + account id",
                    List.of(EventTypes.MATCH_DECIDED_V1, EventTypes.MATCH_REVIEWED_V1), "matcher-service",
                    List.of("executor-service")),
            new Channel("campaign", Topics.CAMPAIGN,
                    "Campaign state changes and each account's end state in a campaign.",
                    "campaign id",
                    List.of(EventTypes.CAMPAIGN_STATE_CHANGED_V1, EventTypes.CAMPAIGN_USER_CHANGED_V1), "executor-service",
                    List.of()),
            new Channel("campaignDeadLetters", Topics.CAMPAIGN_DEAD_LETTERS,
                    "Steps a campaign gave up on after their retries, with the error; replayable from the executor.",
                    "campaign id + '/' + account id",
                    List.of(EventTypes.STEP_DEAD_LETTERED_V1), "executor-service", List.of()));

    private AsyncApi() {
    }

    /** The document as JSON text, as committed in {@code events/asyncapi.json}. */
    public static String json() {
        try {
            return JSON.writeValueAsString(document()) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode document() {
        ObjectNode root = JSON.createObjectNode();
        root.put("asyncapi", "3.0.0");
        ObjectNode info = root.putObject("info");
        info.put("title", "Relink events");
        info.put("version", "1.0.0");
        info.put("description", "Topics and events between Relink's services, and for other consumers. Every event is a "
                + "CloudEvents 1.0 event: in structured mode (the default) the record value is the JSON envelope described "
                + "here; in binary mode (RELINK_CLOUDEVENTS_MODE=binary) the attributes travel as ce_* headers and the "
                + "value is the envelope's data. Topic names take the prefix RELINK_TOPIC_PREFIX. A breaking change to a "
                + "payload gets a new type (.v2) published side by side with the old one.");
        root.put("defaultContentType", "application/cloudevents+json");
        ObjectNode local = root.putObject("servers").putObject("local");
        local.put("host", "127.0.0.1:29092");
        local.put("protocol", "kafka");
        local.put("description", "The local stack's broker (./relink stack up).");

        ObjectNode channels = root.putObject("channels");
        ObjectNode operations = root.putObject("operations");
        ObjectNode components = root.putObject("components");
        ObjectNode messages = components.putObject("messages");
        ObjectNode schemas = components.putObject("schemas");
        for (Channel channel : CHANNELS) {
            ObjectNode node = channels.putObject(channel.id());
            node.put("address", channel.address());
            node.put("description", channel.description());
            ObjectNode channelMessages = node.putObject("messages");
            ArrayNode refs = JSON.createArrayNode();
            for (String type : channel.types()) {
                String name = messageName(type);
                channelMessages.putObject(name).put("$ref", "#/components/messages/" + name);
                refs.addObject().put("$ref", "#/channels/" + channel.id() + "/messages/" + name);
                ObjectNode schema = schema(type);
                schemas.set(name, schema);
                ObjectNode message = messages.putObject(name);
                message.put("name", type);
                message.put("title", schema.path("title").asText());
                message.put("contentType", "application/cloudevents+json");
                message.putObject("payload").put("$ref", "#/components/schemas/" + name);
                ObjectNode key = message.putObject("bindings").putObject("kafka");
                key.putObject("key").put("type", "string").put("description", channel.key());
                key.put("bindingVersion", "0.5.0");
            }
            ObjectNode send = operations.putObject("send" + capitalized(channel.id()));
            send.put("action", "send");
            send.putObject("channel").put("$ref", "#/channels/" + channel.id());
            send.put("summary", channel.sender() + " publishes (from the transaction that changed its state: an outbox, or a"
                    + " table it publishes from in order).");
            send.set("messages", refs.deepCopy());
            for (String receiver : channel.receivers()) {
                ObjectNode receive = operations.putObject("receive" + capitalized(channel.id()) + "In" + capitalized(receiver.replace("-service", "")));
                receive.put("action", "receive");
                receive.putObject("channel").put("$ref", "#/channels/" + channel.id());
                receive.put("summary", receiver + " consumes in consumer group relink-" + receiver.replace("-service", "")
                        + "; events it cannot apply go to " + channel.address() + "." + receiver.replace("-service", "") + ".dlq.");
                receive.set("messages", refs.deepCopy());
            }
        }
        return root;
    }

    /** The type's JSON Schema as an AsyncAPI schema (a superset of draft-07: the 2020-12 $schema marker is left out). */
    private static ObjectNode schema(String type) {
        try (InputStream in = AsyncApi.class.getResourceAsStream("/schemas/" + type + ".json")) {
            if (in == null) {
                throw new IllegalStateException("No JSON Schema for " + type + " in events/src/main/resources/schemas");
            }
            ObjectNode schema = (ObjectNode) JSON.readTree(in);
            schema.remove("$schema");
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** relink.match.decided.v1 → matchDecidedV1 */
    private static String messageName(String type) {
        String[] words = type.replaceFirst("^relink\\.", "").split("[.-]");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(capitalized(words[i]));
        }
        return name.toString();
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** Writes the document to the path given (the build's way to refresh {@code events/asyncapi.json}). */
    public static void main(String[] args) throws IOException {
        java.nio.file.Files.writeString(java.nio.file.Path.of(args.length == 0 ? "asyncapi.json" : args[0]), json());
    }
}
