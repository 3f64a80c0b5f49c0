/**
 * Healthy models of the motion topics: /vehicle/state, /imu/data, /gnss/fix,
 * /localization/pose. All follow the shared drive profile.
 */
import { round } from './effects.js';
import { TOPIC } from './reference-vehicle.js';
import { rosTime } from './samples.js';
import { regularTimes, topicRng, type SimContext, type TopicModel } from './topic-model.js';

/** Standard gravity, m/s². */
export const G = 9.80665;

/** /vehicle/state at 50 Hz: speed, steering (tracks the command within ~1°), brakes, wheels. */
export function vehicleStateModel(ctx: SimContext): TopicModel<typeof TOPIC.vehicleState> {
  const rng = topicRng(ctx, TOPIC.vehicleState);
  const { profile, body } = ctx;
  return {
    topic: TOPIC.vehicleState,
    times: () => regularTimes(rng, 50, ctx.durationS),
    sample(t) {
      const p = profile.at(t);
      const lagged = profile.at(t - 0.02).steerCmdDeg; // EPS follows with ~20 ms lag
      const v = p.speed;
      const moving = v > 0.05;
      const half = (p.yawRate * body.trackM) / 2; // inner/outer wheel difference
      const wheel = (dv: number): number => (moving ? round(Math.max(0, v + dv + rng.normal(0, 0.02)), 3) : 0);
      return {
        speed_mps: moving ? round(Math.max(0, v + rng.normal(0, 0.01)), 3) : 0,
        steering_angle_deg: round(lagged + rng.normal(0, 0.12), 2),
        steering_cmd_deg: round(p.steerCmdDeg, 2),
        brake_pressure_bar: p.brakePedal
          ? round(Math.max(0, p.brakeBar + rng.normal(0, 0.15)), 2)
          : round(Math.abs(rng.normal(0, 0.03)), 2),
        brake_pedal: p.brakePedal,
        throttle_pct: round(p.throttlePct, 1),
        wheel_speed_fl_mps: wheel(-half),
        wheel_speed_fr_mps: wheel(half),
        wheel_speed_rl_mps: wheel(-half * 0.97),
        wheel_speed_rr_mps: wheel(half * 0.97),
        gear: p.gear,
      };
    },
  };
}

const IMU_COV = {
  orientation: [0.0025, 0, 0, 0, 0.0025, 0, 0, 0, 0.0025],
  angular: [0.0001, 0, 0, 0, 0.0001, 0, 0, 0, 0.0001],
  linear: [0.01, 0, 0, 0, 0.01, 0, 0, 0, 0.01],
};

/** /imu/data at 100 Hz: gravity on z plus road vibration, accelerations and yaw rate from the profile. */
export function imuModel(ctx: SimContext): TopicModel<typeof TOPIC.imu> {
  const rng = topicRng(ctx, TOPIC.imu);
  const { profile } = ctx;
  return {
    topic: TOPIC.imu,
    times: () => regularTimes(rng, 100, ctx.durationS),
    sample(t) {
      const p = profile.at(t);
      const vib = 0.03 + 0.012 * p.speed; // road roughness grows with speed
      return {
        header: { stamp: rosTime(ctx.startNs, t), frame_id: 'imu_link' },
        orientation: { x: 0, y: 0, z: Math.sin(p.yaw / 2), w: Math.cos(p.yaw / 2) },
        orientation_covariance: IMU_COV.orientation,
        angular_velocity: {
          x: rng.normal(0, 0.003),
          y: rng.normal(0, 0.003),
          z: p.yawRate + rng.normal(0, 0.002),
        },
        angular_velocity_covariance: IMU_COV.angular,
        linear_acceleration: {
          x: p.accel + rng.normal(0, vib),
          y: p.speed * p.yawRate + rng.normal(0, vib),
          z: G + rng.normal(0, vib * 1.5),
        },
        linear_acceleration_covariance: IMU_COV.linear,
      };
    },
  };
}

const M_PER_DEG_LAT = 111_320;

/** /gnss/fix at 10 Hz: RTK (status 2) most of the time, plain fix (0) for some stretches. */
export function gnssModel(ctx: SimContext): TopicModel<typeof TOPIC.gnss> {
  const rng = topicRng(ctx, TOPIC.gnss);
  const { profile, body } = ctx;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((body.origin.lat * Math.PI) / 180);
  // A few stretches where RTK corrections lapse and the receiver reports a plain fix.
  const plain: [number, number][] = [];
  for (let k = 0; k < Math.max(1, Math.round(ctx.durationS / 240)); k++) {
    const s = rng.uniform(0, ctx.durationS);
    plain.push([s, s + rng.uniform(5, 20)]);
  }
  return {
    topic: TOPIC.gnss,
    times: () => regularTimes(rng, 10, ctx.durationS),
    sample(t) {
      const p = profile.at(t);
      const rtk = !plain.some(([a, b]) => t >= a && t < b);
      const sd = rtk ? 0.02 : 0.9;
      const varM = sd * sd;
      return {
        header: { stamp: rosTime(ctx.startNs, t), frame_id: 'gnss_antenna' },
        status: { status: rtk ? 2 : 0, service: 1 | 8 },
        latitude: body.origin.lat + (p.y + rng.normal(0, sd)) / M_PER_DEG_LAT,
        longitude: body.origin.lon + (p.x + rng.normal(0, sd)) / mPerDegLon,
        altitude: body.origin.alt + rng.normal(0, sd * 1.5),
        position_covariance: [varM, 0, 0, 0, varM, 0, 0, 0, varM * 2.25],
        position_covariance_type: 2,
      };
    },
  };
}

/** /localization/pose at 20 Hz: fused pose with a small covariance trace (< 0.5). */
export function poseModel(ctx: SimContext): TopicModel<typeof TOPIC.pose> {
  const rng = topicRng(ctx, TOPIC.pose);
  const { profile } = ctx;
  const phase = rng.uniform(0, 6.28);
  return {
    topic: TOPIC.pose,
    times: () => regularTimes(rng, 20, ctx.durationS),
    sample(t) {
      const p = profile.at(t);
      return {
        x: round(p.x + rng.normal(0, 0.03), 3),
        y: round(p.y + rng.normal(0, 0.03), 3),
        yaw: round(p.yaw + rng.normal(0, 0.002), 4),
        cov_trace: round(0.14 + 0.05 * Math.sin(t / 9 + phase) + Math.abs(rng.normal(0, 0.02)), 4),
      };
    },
  };
}
