package io.relink.support.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Carries OpenTelemetry trace context across Kafka, through the outbox: an event remembers the trace it was written in
 * (its {@code traceparent}, W3C Trace Context) and the relay sends it as the record's {@code traceparent} header, however
 * much later it publishes the row. A consumer continues that trace: it applies the events under a span whose parent is
 * the first traced event's context, with links to the others of the batch, so the events it writes in turn carry the
 * same trace id. The HTTP layer does the same for requests (an incoming {@code traceparent} header is honoured).
 */
@ApplicationScoped
public class TraceContext {

    /** The Kafka header, as OpenTelemetry's messaging instrumentations name it. */
    public static final String HEADER = "traceparent";

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    public TraceContext(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("io.relink.messaging");
    }

    /** The current trace context as a W3C {@code traceparent} value; null outside any trace. */
    public String current() {
        Map<String, String> carrier = new HashMap<>();
        openTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), carrier, Map::put);
        return carrier.get(HEADER);
    }

    /**
     * Runs {@code work} (subscribed later, on the consumer's Vert.x context) under a consumer span that continues the
     * trace of the first record with one and links the rest; events written meanwhile carry that span's context.
     */
    public <T> Uni<T> consuming(String consumer, List<Map<String, String>> recordHeaders, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            SpanBuilder builder = tracer.spanBuilder(consumer + " process").setSpanKind(SpanKind.CONSUMER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.batch.message_count", (long) recordHeaders.size());
            Context parent = null;
            for (Map<String, String> headers : recordHeaders) {
                if (headers == null || !headers.containsKey(HEADER)) {
                    continue;
                }
                Context extracted = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), headers, HEADERS);
                SpanContext context = Span.fromContext(extracted).getSpanContext();
                if (!context.isValid()) {
                    continue;
                }
                if (parent == null) {
                    parent = extracted;
                } else {
                    builder.addLink(context);
                }
            }
            Span span = (parent == null ? builder.setNoParent() : builder.setParent(parent)).startSpan();
            Scope scope = span.makeCurrent();
            return work.get().onTermination().invoke((item, failure, cancelled) -> {
                if (failure != null) {
                    span.recordException(failure);
                }
                scope.close();
                span.end();
            });
        });
    }
}
