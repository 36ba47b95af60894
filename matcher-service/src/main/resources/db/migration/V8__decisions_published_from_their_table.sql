-- Decisions are published from this table (DecisionPublisher), no longer through the outbox. At 1M x 1M, writing
-- every decision's event (~1 kB) to outbox_event and deleting it again was about a third of the database's active
-- time (2026-12-01); the decision row holds everything the event says.
--
-- Every write of a decision takes the next publish_seq. Writers hold the matching lock (an advisory lock, see
-- IdentityRepository) from before they take a number until they commit, so numbers are visible in the order they were
-- taken: a publisher that has seen number n has seen every number below it. No cache: cached numbers would be
-- handed out per connection, out of that order.
create sequence match_decision_publish_seq no cycle;
alter table match_decision add column publish_seq bigint;
alter table match_decision add column trace_parent varchar(128);
-- Null for decisions written before this migration: their events went out through the outbox.
create index match_decision_publication_order on match_decision (publish_seq) where publish_seq is not null;

-- How far the publisher got: the publish_seq of the last decision whose event the broker acknowledged.
create table decision_publication (
    id            smallint primary key check (id = 1),
    published_seq bigint not null
);
insert into decision_publication (id, published_seq) values (1, 0);
