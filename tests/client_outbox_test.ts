// The client's outbox: deltas leave lowest id first — also when re-queued
// after a gap, a timeout or a reconnect — and each settles exactly once.
import assert from "node:assert/strict";
import { type Entry, Outbox } from "../client/_outbox.ts";

type E = Entry<{ documentId: string }, string>;

function entry(id: number, collection = "c"): E {
  return {
    id,
    delta: { documentId: `d${id}` },
    mutationId: BigInt(id * 10),
    collection,
    size: id,
    producerId: undefined,
    seq: undefined,
    encoded: undefined,
    queued: false,
    outstanding: 0,
    sentAt: 0,
    sends: 0,
    accepted: false,
    resolve: undefined,
    reject: undefined,
    unlisten: undefined,
  };
}

function drain(outbox: Outbox<{ documentId: string }, string>): number[] {
  const ids: number[] = [];
  for (let e = outbox.next(); e !== undefined; e = outbox.next()) {
    ids.push(e.id);
  }
  return ids;
}

Deno.test("outbox hands out entries in id order", () => {
  const outbox = new Outbox<{ documentId: string }, string>();
  for (let id = 1; id <= 5; id++) outbox.add(entry(id));
  assert.deepEqual(drain(outbox), [1, 2, 3, 4, 5]);
  assert.equal(outbox.pending, 5);
  assert.equal(outbox.pendingBytes, 15);
});

Deno.test("outbox re-queued entries go out before later ones, in rising order", () => {
  const outbox = new Outbox<{ documentId: string }, string>();
  const entries = Array.from({ length: 6 }, (_, i) => entry(i + 1));
  for (const e of entries) outbox.add(e);
  const first = [
    outbox.next()!,
    outbox.next()!,
    outbox.next()!,
    outbox.next()!,
  ];
  for (const e of first) outbox.sent(e, 0);
  assert.equal(outbox.inFlight, 4);
  // 4 and 2 come back (a gap, a timeout), in any order of arrival.
  outbox.forget(entries[3]);
  outbox.requeue(entries[3]);
  outbox.forget(entries[1]);
  outbox.requeue(entries[1]);
  outbox.requeue(entries[1]); // twice is once
  assert.deepEqual(drain(outbox), [2, 4, 5, 6]);
});

Deno.test("outbox reset after a reconnect queues every unsettled entry again, in order", () => {
  const outbox = new Outbox<{ documentId: string }, string>();
  const entries = Array.from({ length: 5 }, (_, i) => entry(i + 1));
  for (const e of entries) outbox.add(e);
  for (const e of drain(outbox)) outbox.sent(entries[e - 1], 0);
  outbox.remove(entries[2]); // settled
  outbox.reset();
  assert.equal(outbox.inFlight, 0);
  assert.deepEqual(entries.map((e) => e.outstanding), [0, 0, 0, 0, 0]);
  assert.deepEqual(drain(outbox), [1, 2, 4, 5]);
});

Deno.test("outbox counts outstanding sends: only the answer to the latest send is the latest", () => {
  const outbox = new Outbox<{ documentId: string }, string>();
  const e = entry(1);
  outbox.add(e);
  outbox.next();
  outbox.sent(e, 1);
  outbox.requeue(e);
  outbox.next();
  outbox.sent(e, 2);
  assert.equal(e.outstanding, 2);
  assert.equal(outbox.inFlight, 1);
  assert.equal(outbox.answered(e), false);
  assert.equal(outbox.answered(e), true);
  assert.equal(outbox.inFlight, 0);
});

Deno.test("outbox remove settles once: the second remove returns nothing", () => {
  const outbox = new Outbox<{ documentId: string }, string>();
  const e = entry(7);
  let settled = 0;
  e.resolve = () => settled++;
  outbox.add(e);
  const first = outbox.remove(e);
  first?.resolve?.("applied");
  const second = outbox.remove(e);
  second?.resolve?.("applied");
  assert.equal(settled, 1);
  assert.equal(second, undefined);
  assert.equal(outbox.byMutation(70n), undefined);
  assert.equal(outbox.pending, 0);
});

Deno.test("outbox finds entries by mutation id and lists stale in-flight ones", () => {
  const outbox = new Outbox<{ documentId: string }, string>();
  const a = entry(1);
  const b = entry(2);
  outbox.add(a);
  outbox.add(b);
  outbox.next();
  outbox.next();
  outbox.sent(a, 100);
  outbox.sent(b, 500);
  assert.equal(outbox.byMutation(20n), b);
  assert.deepEqual(outbox.stale(200).map((e) => e.id), [1]);
  a.accepted = true; // an Accepted delta waits for its final status, not re-sent
  assert.deepEqual(outbox.stale(1000).map((e) => e.id), [2]);
});

Deno.test("outbox keeps order over many entries with re-queues from the middle", () => {
  const outbox = new Outbox<{ documentId: string }, string>();
  const entries = Array.from({ length: 3000 }, (_, i) => entry(i + 1));
  for (const e of entries) outbox.add(e);
  const sent = [];
  for (let i = 0; i < 2000; i++) sent.push(outbox.next()!);
  for (const e of sent) outbox.sent(e, 0);
  for (const id of [1500, 10, 1999, 700]) {
    outbox.forget(entries[id - 1]);
    outbox.requeue(entries[id - 1]);
  }
  const order = drain(outbox);
  assert.deepEqual(order.slice(0, 5), [10, 700, 1500, 1999, 2001]);
  assert.equal(order.length, 1004);
  assert.deepEqual(order, [...order].sort((x, y) => x - y));
});

Deno.test("outbox report lists what is still queued", () => {
  const outbox = new Outbox<{ documentId: string }, string>();
  const a = entry(1);
  outbox.add(a);
  outbox.add(entry(2));
  outbox.sent(outbox.next()!, 0);
  a.seq = 4n;
  assert.deepEqual(outbox.report(), [
    {
      id: 1,
      mutationId: 10n,
      collection: "c",
      documentId: "d1",
      seq: 4n,
      sent: true,
    },
    {
      id: 2,
      mutationId: 20n,
      collection: "c",
      documentId: "d2",
      seq: undefined,
      sent: false,
    },
  ]);
});
