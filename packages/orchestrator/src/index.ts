/**
 * VLTAIR's scheduler. This first slice holds the determinism primitives every later part takes by
 * injection: a {@link Clock} and a {@link SeededRandom}.
 *
 * @packageDocumentation
 */
export { ManualClock, systemClock, type Clock } from "./clock.js";
export { SeededRandom } from "./seeded-random.js";
