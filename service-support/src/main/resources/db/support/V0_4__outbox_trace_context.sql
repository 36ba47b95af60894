-- The W3C trace context an event was written in; the relay sends it as the record's traceparent header.
alter table outbox_event add column if not exists trace_parent text;
