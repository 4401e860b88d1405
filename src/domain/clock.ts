/** The one source of time. The domain never reads the system clock; callers pass `clock.now()` in. */
export interface Clock {
  now(): Date;
}
