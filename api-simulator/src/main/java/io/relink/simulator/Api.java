package io.relink.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** The simulated vendor APIs, each with its own credentials and its own error format. */
public enum Api {

    /** Atlassian organization, user-provisioning and Control APIs: {@code {"errors":[{id,status,code,title,detail}]}}. */
    ATLASSIAN_ADMIN {
        @Override
        public JsonObject error(int status, String code, String detail) {
            return new JsonObject().put("errors", new JsonArray().add(new JsonObject()
                    .put("id", UUID.randomUUID().toString())
                    .put("status", String.valueOf(status))
                    .put("code", code)
                    .put("title", title(status))
                    .put("detail", detail)));
        }
    },
    /** Atlassian SCIM: RFC 7644 error {@code {schemas, status, scimType?, detail}}. */
    ATLASSIAN_SCIM {
        @Override
        public JsonObject error(int status, String code, String detail) {
            JsonObject error = new JsonObject()
                    .put("schemas", new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:Error"))
                    .put("status", String.valueOf(status))
                    .put("detail", detail);
            if (code != null) {
                error.put("scimType", code);
            }
            return error;
        }
    },
    /** Microsoft Graph: {@code {"error":{code, message, innerError:{date, request-id}}}}. */
    GRAPH {
        @Override
        public JsonObject error(int status, String code, String detail) {
            return new JsonObject().put("error", new JsonObject()
                    .put("code", code)
                    .put("message", detail)
                    .put("innerError", new JsonObject()
                            .put("date", Instant.now().toString())
                            .put("request-id", UUID.randomUUID().toString())));
        }
    },
    /** The simulator's own admin endpoints (seed, reset, faults, counters): plain problem JSON, no credentials. */
    SIMULATOR {
        @Override
        public JsonObject error(int status, String code, String detail) {
            return new JsonObject().put("status", status).put("code", code).put("detail", detail);
        }
    };

    public abstract JsonObject error(int status, String code, String detail);

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }
}
