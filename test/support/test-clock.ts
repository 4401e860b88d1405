import type { Clock } from '../../src/domain/clock.js';

/** A clock tests move by hand. */
export const createTestClock = (start: string | Date) => {
  let current = new Date(start);
  const clock: Clock & { set(at: string | Date): void; advance(ms: number): void } = {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
  return clock;
};

export type TestClock = ReturnType<typeof createTestClock>;
