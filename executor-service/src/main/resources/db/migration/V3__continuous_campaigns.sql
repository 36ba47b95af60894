-- Continuous campaigns stay open and take newly matched accounts as decisions arrive (e.g. from delta pulls).
alter table campaign add column continuous boolean not null default false;
-- Off by default: new accounts wait in AWAITING_APPROVAL until an operator approves them.
alter table campaign add column auto_approve boolean not null default false;
