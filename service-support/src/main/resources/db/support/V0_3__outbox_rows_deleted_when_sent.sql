-- The relay deletes a row in the transaction that publishes it (Kafka is the record of what was sent), instead of
-- updating published_at: an update rewrote every ~1 kB row and its index entries, and sent rows piled up forever.
delete from outbox_event where published_at is not null;
drop index if exists outbox_event_unpublished;
alter table outbox_event drop column published_at;
create index outbox_event_order on outbox_event (created_at, id);
