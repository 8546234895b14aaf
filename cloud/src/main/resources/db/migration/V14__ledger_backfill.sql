-- Reservations made before V11 had no money ledger. Their money is brought in once, so the ledger's
-- invariant (docs/money.md) holds for every reservation, old or new. Runs unchanged on H2 and PostgreSQL;
-- a reservation that has any ledger entry already (made after V11) is left alone.

-- A cash payment recorded at the counter before V11 becomes a counter payment. Its id is the reservation's
-- own (one per reservation, and no UUID function is common to H2 and PostgreSQL).
insert into payment (id, municipality_id, reservation_id, provider, method, amount, status, idempotency_key,
                     received_yen, change_yen, receipt_number, created_at, completed_at)
select r.id, r.municipality_id, r.id, 'counter', 'cash', r.amount, 'succeeded', concat('legacy/', cast(r.id as varchar(36))),
       r.amount_received, case when r.amount_received is null then null else r.amount_received - r.amount end,
       r.receipt_number, coalesce(r.confirmed_at, r.created_at), coalesce(r.confirmed_at, r.created_at)
  from reservation r
 where r.payment_method = 'cash' and r.amount > 0
   and not exists (select 1 from ledger_entry l where l.reservation_id = r.id)
   and not exists (select 1 from payment p where p.reservation_id = r.id);

-- What was due: the fee.
insert into ledger_entry (municipality_id, reservation_id, kind, amount, note, created_at)
select r.municipality_id, r.id, 'charge', r.amount, '使用料（V11 以前の予約の移行）', r.created_at
  from reservation r
 where r.amount > 0 and not exists (select 1 from ledger_entry l where l.reservation_id = r.id);

-- What was paid.
insert into ledger_entry (municipality_id, reservation_id, kind, amount, payment_id, note, created_at)
select p.municipality_id, p.reservation_id, 'payment', p.amount, p.id, '窓口で現金受領（V11 以前の予約の移行）', p.completed_at
  from payment p
 where p.idempotency_key like 'legacy/%'
   and not exists (select 1 from ledger_entry l where l.payment_id = p.id);

-- Cancelled or lapsed before V11: unpaid ones owe nothing; a paid one kept its fee (no refund was recorded
-- then), which is its cancellation fee.
update reservation set cancellation_fee = amount
 where status = 'cancelled' and payment_method = 'cash' and amount > 0 and cancellation_fee is null
   and exists (select 1 from payment p where p.id = reservation.id and p.idempotency_key like 'legacy/%');
insert into ledger_entry (municipality_id, reservation_id, kind, amount, note, created_at)
select r.municipality_id, r.id, 'cancellation', r.amount, '取消・失効（V11 以前の予約の移行）', coalesce(r.cancelled_at, r.created_at)
  from reservation r
 where r.status in ('cancelled', 'expired') and r.amount > 0 and r.payment_method is null
   and exists (select 1 from ledger_entry l where l.reservation_id = r.id and l.note like '%V11 以前%')
   and not exists (select 1 from ledger_entry l where l.reservation_id = r.id and l.kind = 'cancellation');
