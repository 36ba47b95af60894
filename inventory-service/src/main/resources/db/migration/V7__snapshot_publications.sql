-- A snapshot's identity events are published straight from its records, not copied into the outbox first: copying a
-- million ~1 kB events took longer than writing the snapshot (BENCHMARKS.md, scenario 1). Applying a snapshot queues
-- one publication row in its transaction; the publisher sends its changes in external-id order, batch by batch, and
-- records how far it got in the transaction of each batch, after the broker acknowledged it. Restarted, it goes on
-- from there: a batch sent but not recorded goes out again with the same event ids, which consumers drop.
create table snapshot_publication (
    snapshot_id          uuid primary key references snapshot (id),
    seq                  bigserial    not null unique,  -- publications go out one after another, in this order
    previous_snapshot_id uuid references snapshot (id),  -- what the changes are relative to (null: an empty source)
    phase                varchar(20)  not null,          -- CHANGES (added and changed), REMOVALS, COMPLETED
    after_external_id    varchar(512),                   -- the last external id of this phase already sent
    sent                 integer      not null default 0,
    trace_parent         text,                           -- W3C trace context of the request that applied the snapshot
    queued_at            timestamptz  not null           -- the events' time, and the time part of their ids
);

-- When the last event of a snapshot (snapshot-completed) was on Kafka; null until then. Snapshots applied before this
-- migration wrote their events to the outbox in the transaction that applied them: from then on the outbox relay
-- owned them, so their applied time stands in.
alter table snapshot add column published_at timestamptz;
update snapshot set published_at = created_at where status = 'APPLIED';
