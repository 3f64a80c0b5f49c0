/**
 * The machinery shared by all topic models: the simulation context, regular
 * publish grids, applying effects to a model's samples, and merging all topics
 * into one stream in log-time order.
 */
import type { DriveProfile } from './drive-profile.js';
import type { Effect } from './effects.js';
import { Rng } from './prng.js';
import type { TopicName } from './reference-vehicle.js';
import type { SampleByTopic } from './samples.js';
import type { Platform, PlatformBody } from './vehicle-metadata.js';

/** Everything a topic model may read. */
export interface SimContext {
  readonly seed: number;
  readonly durationS: number;
  /** Drive start, ns since the Unix epoch. */
  readonly startNs: bigint;
  readonly platform: Platform;
  readonly body: PlatformBody;
  readonly profile: DriveProfile;
  /** All effects of the scenario (faults, noise, anomalies). */
  readonly effects: readonly Effect[];
}

/** Generates the healthy samples of one topic. */
export interface TopicModel<K extends TopicName = TopicName> {
  readonly topic: K;
  /** Publish times, seconds from drive start, strictly ascending. */
  times(): Iterable<number>;
  /** The healthy sample published at `t` (the `n`-th publish time, from 0). */
  sample(t: number, n: number): SampleByTopic[K];
}

/** A sample ready to encode. */
export interface TimedSample {
  /** Seconds from drive start. */
  readonly t: number;
  readonly topic: TopicName;
  readonly sample: unknown;
}

/** A per-topic random stream, independent of which other topics are recorded. */
export function topicRng(ctx: SimContext, topic: string): Rng {
  return Rng.derive(ctx.seed, `topic:${topic}`);
}

/**
 * Publish times at `rateHz` with a random phase and sub-millisecond jitter
 * (real drivers never publish on an exact grid).
 */
export function* regularTimes(rng: Rng, rateHz: number, durationS: number): Generator<number> {
  const period = 1 / rateHz;
  const phase = rng.uniform(0.001, Math.min(0.02, period / 2));
  const jitter = Math.min(0.0004, period / 20);
  let last = -1;
  for (let i = 0; ; i++) {
    let t = phase + i * period + rng.uniform(-jitter, jitter);
    if (t <= last) t = last + 1e-6;
    if (t >= durationS) return;
    last = t;
    yield t;
  }
}

/** Runs a model through the scenario's effects: drops, then alterations. */
export function* applyEffects<K extends TopicName>(
  model: TopicModel<K>,
  effects: readonly Effect[],
): Generator<TimedSample> {
  const topic = model.topic;
  const drops = effects.map((e) => e.drop?.[topic]).filter((f): f is (t: number) => boolean => f !== undefined);
  const alters = effects
    .map((e) => e.alter?.[topic] as ((t: number, s: SampleByTopic[K]) => void) | undefined)
    .filter((f): f is (t: number, s: SampleByTopic[K]) => void => f !== undefined);
  let n = 0;
  for (const t of model.times()) {
    const sample = model.sample(t, n++);
    if (drops.some((d) => d(t))) continue;
    for (const alter of alters) alter(t, sample);
    yield { t, topic, sample };
  }
}

/**
 * Merges per-topic streams (each ascending in `t`) into one stream ascending
 * in `t`; ties go to the stream listed first, so the order is deterministic.
 */
export function* mergeByTime(streams: readonly Iterator<TimedSample>[]): Generator<TimedSample> {
  const heads: (TimedSample | undefined)[] = streams.map((s) => {
    const r = s.next();
    return r.done === true ? undefined : r.value;
  });
  for (;;) {
    let best = -1;
    let bestT = Infinity;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h !== undefined && h.t < bestT) {
        bestT = h.t;
        best = i;
      }
    }
    if (best < 0) return;
    const out = heads[best] as TimedSample;
    const r = (streams[best] as Iterator<TimedSample>).next();
    heads[best] = r.done === true ? undefined : r.value;
    yield out;
  }
}
