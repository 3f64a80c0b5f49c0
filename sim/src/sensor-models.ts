/**
 * Healthy models of the sensor heartbeats and the autonomy stack outputs:
 * lidar/camera/radar metadata, /perception/summary and /planning/cycle.
 */
import { round } from './effects.js';
import type { PerceptionSummary } from './perception-proto.js';
import { TOPIC } from './reference-vehicle.js';
import type { SensorHeartbeat } from './samples.js';
import { rosTime } from './samples.js';
import { regularTimes, topicRng, type SimContext, type TopicModel } from './topic-model.js';

type HeartbeatTopic = typeof TOPIC.lidar | typeof TOPIC.camera | typeof TOPIC.radar;

function heartbeat(ctx: SimContext, t: number, frame: string, seq: number, count: number): SensorHeartbeat {
  return { header: { stamp: rosTime(ctx.startNs, t), frame_id: frame }, seq, count, status: 0 };
}

/** /sensors/lidar_front/scan_meta at 10 Hz, ~120 000 points per scan. */
export function lidarModel(ctx: SimContext): TopicModel<HeartbeatTopic> {
  const rng = topicRng(ctx, TOPIC.lidar);
  return {
    topic: TOPIC.lidar,
    times: () => regularTimes(rng, 10, ctx.durationS),
    sample: (t, n) => heartbeat(ctx, t, 'lidar_front', n, Math.round(120_000 + rng.normal(0, 700))),
  };
}

/** /sensors/camera_front/frame_meta at 30 Hz; `count` is the compressed frame size in bytes. */
export function cameraModel(ctx: SimContext): TopicModel<HeartbeatTopic> {
  const rng = topicRng(ctx, TOPIC.camera);
  return {
    topic: TOPIC.camera,
    times: () => regularTimes(rng, 30, ctx.durationS),
    sample: (t, n) =>
      heartbeat(ctx, t, 'camera_front', n, Math.max(120_000, Math.round(310_000 + rng.normal(0, 25_000)))),
  };
}

/**
 * Slowly varying "scene density" in [0, 1], shared by radar and perception
 * so their object counts rise and fall together.
 */
function sceneDensity(seed: number, t: number): number {
  const a = ((seed % 997) / 997) * 6.28;
  return 0.5 + 0.3 * Math.sin(t / 23 + a) + 0.2 * Math.sin(t / 7.7 + 2 * a);
}

/** /sensors/radar_front/tracks_meta at 20 Hz; `count` = detections (5–60 while moving). */
export function radarModel(ctx: SimContext): TopicModel<HeartbeatTopic> {
  const rng = topicRng(ctx, TOPIC.radar);
  return {
    topic: TOPIC.radar,
    times: () => regularTimes(rng, 20, ctx.durationS),
    sample(t, n) {
      const moving = ctx.profile.speedAt(t) > 0.5;
      const base = moving ? 10 + 40 * sceneDensity(ctx.seed, t) : 4 + 14 * sceneDensity(ctx.seed, t);
      const count = Math.round(base + rng.normal(0, 3));
      return heartbeat(ctx, t, 'radar_front', n, moving ? Math.min(60, Math.max(5, count)) : Math.max(2, count));
    },
  };
}

/** /perception/summary at 10 Hz: object counts and latency (20–45 ms). */
export function perceptionModel(ctx: SimContext): TopicModel<typeof TOPIC.perception> {
  const rng = topicRng(ctx, TOPIC.perception);
  return {
    topic: TOPIC.perception,
    times: () => regularTimes(rng, 10, ctx.durationS),
    sample(t, n): PerceptionSummary {
      const d = sceneDensity(ctx.seed, t);
      const counts = {
        vehicles: Math.max(0, Math.round(4 + 14 * d + rng.normal(0, 1.5))),
        pedestrians: Math.max(0, Math.round(1 + 6 * d + rng.normal(0, 1))),
        cyclists: Math.max(0, Math.round(2 * d + rng.normal(0, 0.6))),
        other: Math.max(0, Math.round(1 + rng.normal(0, 0.8))),
      };
      const latency = 29 + 8 * d + rng.normal(0, 2.5);
      return {
        num_objects: counts.vehicles + counts.pedestrians + counts.cyclists + counts.other,
        latency_ms: round(Math.min(44.5, Math.max(20.5, latency)), 2),
        counts,
        frame_seq: n,
      };
    },
  };
}

/** /planning/cycle at 10 Hz: latency 30–80 ms (budget 100). */
export function planningModel(ctx: SimContext): TopicModel<typeof TOPIC.planning> {
  const rng = topicRng(ctx, TOPIC.planning);
  return {
    topic: TOPIC.planning,
    times: () => regularTimes(rng, 10, ctx.durationS),
    sample(t) {
      const d = sceneDensity(ctx.seed, t);
      const latency = 42 + 22 * d + rng.normal(0, 6);
      return { latency_ms: round(Math.min(79, Math.max(31, latency)), 2), status: 'ok' };
    },
  };
}
