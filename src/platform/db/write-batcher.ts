/**
 * Gathers small writes that arrive one by one (a submit answer, a delivery receipt) into one
 * transaction: per-row transactions cost a round trip each for BEGIN, every statement and COMMIT, and
 * at thousands a second that, not the work, is the limit. Each caller's promise settles when the
 * batch holding its item has been written, so "stored before acknowledged" still holds per item.
 *
 * A batch is written when it holds `maxItems`, or `maxDelayMs` after its first item. One batch is
 * written at a time; items arriving meanwhile wait for the next. A failed write rejects every item
 * of that batch, and callers retry on their own.
 */
export class WriteBatcher<T> {
  private queue: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly opts: { maxItems: number; maxDelayMs: number },
  ) {}

  /** Items added and not yet handed to a write. */
  get waiting(): number {
    return this.queue.length;
  }

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.opts.maxItems) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), this.opts.maxDelayMs);
    });
  }

  /** Writes everything added so far and resolves when it is written (or has failed). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.writing) {
      this.kick();
      await this.writing;
    }
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.opts.maxItems);
    this.writing = this.write(batch.map((b) => b.item)).then(
      () => batch.forEach((b) => b.resolve()),
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
    void this.writing.finally(() => {
      this.writing = null;
      // Items that came while this batch was being written go now: they have waited long enough.
      if (this.queue.length > 0) this.kick();
    });
  }
}
