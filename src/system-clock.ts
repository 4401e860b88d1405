import type { Clock } from './domain/clock.js';

/** The one place the product reads the system clock. */
export const systemClock: Clock = { now: () => new Date() };
