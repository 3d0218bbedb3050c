/**
 * {@linkcode TypedEventTarget}: an `EventTarget` whose `addEventListener` is
 * typed by an event map, and which builds an event only when someone
 * listens (so a busy session pays nothing for events nobody reads).
 *
 * @module
 */

/**
 * An `EventTarget` typed by `M` (event name → event type).
 *
 * Listeners must not throw: an exception in a listener is reported as an
 * uncaught error by the runtime, as for any `EventTarget`.
 *
 * @typeParam M The event map, e.g. `{ status: CustomEvent<StatusDetail> }`.
 *
 * @example
 * ```ts
 * import { TypedEventTarget } from "@sync/frame/client";
 * import assert from "node:assert/strict";
 *
 * class Clock extends TypedEventTarget<{ tick: CustomEvent<number> }> {
 *   tick(n: number): void {
 *     this.emit("tick", () => n);
 *   }
 * }
 * const clock = new Clock();
 * const seen: number[] = [];
 * clock.addEventListener("tick", (event) => seen.push(event.detail));
 * clock.tick(1);
 * assert.deepEqual(seen, [1]);
 * ```
 */
export class TypedEventTarget<M extends { [K in keyof M]: Event }>
  extends EventTarget {
  readonly #listeners = new Map<string, number>();

  /**
   * Adds a listener for one of the map's events.
   *
   * @param type The event name.
   * @param listener The listener.
   * @param options As for `EventTarget`.
   */
  override addEventListener<K extends keyof M & string>(
    type: K,
    listener: ((event: M[K]) => void) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /**
   * Adds a listener for any event name.
   *
   * @param type The event name.
   * @param listener The listener.
   * @param options As for `EventTarget`.
   */
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    // deno-lint-ignore no-explicit-any
    listener: any,
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (listener !== null) {
      this.#listeners.set(type, (this.#listeners.get(type) ?? 0) + 1);
    }
    super.addEventListener(type, listener, options);
  }

  /**
   * Removes a listener.
   *
   * @param type The event name.
   * @param listener The listener.
   * @param options As for `EventTarget`.
   */
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    const n = this.#listeners.get(type) ?? 0;
    if (listener !== null && n > 0) this.#listeners.set(type, n - 1);
    super.removeEventListener(type, listener, options);
  }

  /**
   * Whether a listener may be registered for `type` (listeners added with
   * `once` or a `signal` are counted until removed by hand).
   *
   * @param type The event name.
   * @returns `false` when nobody listens.
   */
  protected listens(type: keyof M & string): boolean {
    return (this.#listeners.get(type) ?? 0) !== 0;
  }

  /**
   * Dispatches a `CustomEvent` whose detail `detail()` builds, if anyone
   * listens.
   *
   * @param type The event name.
   * @param detail Builds the event's detail.
   */
  protected emit<K extends keyof M & string>(
    type: K,
    detail: () => M[K] extends CustomEvent<infer D> ? D : unknown,
  ): void {
    if (!this.listens(type)) return;
    this.dispatchEvent(new CustomEvent(type, { detail: detail() }));
  }
}
