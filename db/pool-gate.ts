/**
 * A bound on waiting for a pooled connection. postgres.js queues requests without limit; under
 * exhaustion a request would wait forever. The gate admits as many transactions as the pool
 * has connections and fails the rest after `waitMs` with a clear, typed error — before any
 * statement is sent, so a refused request never runs late.
 */
export class PoolBusyError extends Error {
  constructor(waitMs: number) {
    super(`No database connection became free within ${waitMs} ms`);
    this.name = "PoolBusyError";
  }
}

export class PoolGate {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(
    readonly max: number,
    readonly waitMs: number,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          clearTimeout(timer);
          this.active++;
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new PoolBusyError(this.waitMs));
      }, this.waitMs);
      this.waiting.push(entry);
    });
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.grant();
  }
}

const gates = new WeakMap<object, PoolGate>();

export function registerPoolGate(db: object, gate: PoolGate): void {
  gates.set(db, gate);
}

/** Runs through the database's gate if it has one (every database made by createDatabase does). */
export function gated<T>(db: object, fn: () => Promise<T>): Promise<T> {
  const gate = gates.get(db);
  return gate ? gate.run(fn) : fn();
}
