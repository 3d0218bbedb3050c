// Replies the client waits for: VectorClockSync, ShapeSnapshot (by shape
// id), TokenRefreshAck, in the order the requests went out. A request whose
// caller gave up (signal) keeps its place, so its reply, when it comes, is
// not taken for the next request's.

import { FrameError } from "../codec/error.ts";

interface Waiter<T> {
  resolve: ((value: T) => void) | undefined;
  reject: ((error: FrameError) => void) | undefined;
}

/** FIFO waiters for one kind of reply. */
export class Waiters<T> {
  #queue: Waiter<T>[] = [];

  /** Waiters not yet answered (given-up ones included). */
  get size(): number {
    return this.#queue.length;
  }

  /**
   * Waits for the next reply; call right after the request is sent.
   *
   * @throws {FrameError} (as a rejection) `"aborted"` when `signal` aborts.
   */
  wait(signal: AbortSignal | undefined, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject };
      this.#queue.push(waiter);
      if (signal === undefined) return;
      const onAbort = () => {
        const r = waiter.reject;
        waiter.resolve = waiter.reject = undefined;
        r?.(
          new FrameError("aborted", `${what} was aborted`, {
            cause: signal.reason,
          }),
        );
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        const done =
          <A extends unknown[]>(f: (...a: A) => void) => (...a: A) => {
            signal.removeEventListener("abort", onAbort);
            f(...a);
          };
        waiter.resolve = done(resolve);
        waiter.reject = done(reject);
      }
    });
  }

  /**
   * Hands a reply to the oldest waiter.
   *
   * @returns `false` when no request was waiting (an unsolicited message).
   */
  take(value: T): boolean {
    const waiter = this.#queue.shift();
    if (waiter === undefined) return false;
    const resolve = waiter.resolve;
    waiter.resolve = waiter.reject = undefined;
    resolve?.(value);
    return true;
  }

  /** Rejects every waiter (the connection ended). */
  failAll(error: FrameError): void {
    const queue = this.#queue;
    this.#queue = [];
    for (const waiter of queue) {
      const reject = waiter.reject;
      waiter.resolve = waiter.reject = undefined;
      reject?.(error);
    }
  }
}

/** Waiters keyed by a string (ShapeSnapshot by shape id). */
export class KeyedWaiters<T> {
  readonly #byKey = new Map<string, Waiters<T>>();

  wait(key: string, signal: AbortSignal | undefined, what: string): Promise<T> {
    let waiters = this.#byKey.get(key);
    if (waiters === undefined) this.#byKey.set(key, waiters = new Waiters());
    return waiters.wait(signal, what);
  }

  take(key: string, value: T): boolean {
    const waiters = this.#byKey.get(key);
    if (waiters === undefined) return false;
    const taken = waiters.take(value);
    if (waiters.size === 0) this.#byKey.delete(key);
    return taken;
  }

  failAll(error: FrameError): void {
    for (const waiters of this.#byKey.values()) waiters.failAll(error);
    this.#byKey.clear();
  }
}
