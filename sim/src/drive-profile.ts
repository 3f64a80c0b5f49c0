/**
 * The drive itself: speed, pedals, steering and the resulting path, sampled at
 * 100 Hz. Every topic reads the same profile, so wheel speeds, IMU, pose and
 * radar agree with one another. Pure: randomness comes from the `Rng` passed in.
 */
import type { Rng } from './prng.js';
import type { PlatformBody } from './vehicle-metadata.js';

/** Sample rate of the profile, Hz (the fastest topic rate). */
export const PROFILE_HZ = 100;

/** A time interval in seconds from the start of the drive. */
export interface Interval {
  readonly startS: number;
  readonly endS: number;
}

/** One instant of the drive. */
export interface ProfileSample {
  /** Vehicle speed, m/s. */
  speed: number;
  /** Longitudinal acceleration, m/s². */
  accel: number;
  /** Commanded steering-wheel angle, degrees. */
  steerCmdDeg: number;
  /** Brake requested. */
  brakePedal: boolean;
  /** True brake line pressure, bar. */
  brakeBar: number;
  /** Throttle request, %. */
  throttlePct: number;
  /** Yaw rate, rad/s. */
  yawRate: number;
  /** Heading, rad. */
  yaw: number;
  /** Position east / north of the origin, m. */
  x: number;
  y: number;
  /** 'P' before the drive starts moving, then 'D'. */
  gear: 'P' | 'D';
}

/** A drive profile sampled at {@link PROFILE_HZ}. */
export class DriveProfile {
  constructor(
    readonly durationS: number,
    private readonly speed: Float64Array,
    private readonly accel: Float64Array,
    private readonly steer: Float64Array,
    private readonly brakeBar: Float64Array,
    private readonly throttle: Float64Array,
    private readonly yawRate: Float64Array,
    private readonly yaw: Float64Array,
    private readonly x: Float64Array,
    private readonly y: Float64Array,
    private readonly parkedUntilS: number,
  ) {}

  /** Index of the sample nearest to `t` seconds. */
  index(t: number): number {
    return Math.max(0, Math.min(this.speed.length - 1, Math.round(t * PROFILE_HZ)));
  }

  /** Speed at `t`, m/s. */
  speedAt(t: number): number {
    return this.speed[this.index(t)] ?? 0;
  }

  /** The full sample nearest to `t`. */
  at(t: number): ProfileSample {
    const i = this.index(t);
    const brakeBar = this.brakeBar[i] ?? 0;
    return {
      speed: this.speed[i] ?? 0,
      accel: this.accel[i] ?? 0,
      steerCmdDeg: this.steer[i] ?? 0,
      brakePedal: brakeBar > 0,
      brakeBar,
      throttlePct: this.throttle[i] ?? 0,
      yawRate: this.yawRate[i] ?? 0,
      yaw: this.yaw[i] ?? 0,
      x: this.x[i] ?? 0,
      y: this.y[i] ?? 0,
      gear: t < this.parkedUntilS ? 'P' : 'D',
    };
  }
}

type Phase = 'stop' | 'accel' | 'cruise' | 'brake';

/** Options of {@link buildDriveProfile}. */
export interface ProfileOptions {
  readonly durationS: number;
  readonly body: PlatformBody;
  /** Intervals in which the vehicle must keep moving (> 6 m/s) without braking. */
  readonly holds: readonly Interval[];
}

const DT = 1 / PROFILE_HZ;

/**
 * Builds a drive: park, pull away, cruise with gentle speed changes, brake to
 * stops at junctions (sometimes turning when pulling away), repeat. Stops and
 * braking are kept out of `holds` (and the lead-in to them) so faults that need
 * a moving vehicle get one.
 */
export function buildDriveProfile(rng: Rng, opts: ProfileOptions): DriveProfile {
  const n = Math.floor(opts.durationS * PROFILE_HZ) + 1;
  const speed = new Float64Array(n);
  const accel = new Float64Array(n);
  const steer = new Float64Array(n);
  const brakeBar = new Float64Array(n);
  const throttle = new Float64Array(n);
  const yawRate = new Float64Array(n);
  const yaw = new Float64Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const { body } = opts;
  const [cruiseLo, cruiseHi] = body.cruiseMps;

  // Holds widened by the time needed to get back up to speed before they start.
  const blocked = (from: number, to: number): boolean =>
    opts.holds.some((h) => from < h.endS && to > h.startS - 14);
  const holdEnd = (t: number): number =>
    Math.max(t, ...opts.holds.filter((h) => t < h.endS && t + 60 > h.startS - 14).map((h) => h.endS));

  const firstHold = Math.min(Infinity, ...opts.holds.map((h) => h.startS));
  const parkedUntilS = Math.max(0.5, Math.min(rng.uniform(2, 4), firstHold - 12));
  let phase: Phase = 'stop';
  let phaseEnd = parkedUntilS;
  let target = rng.uniform(cruiseLo, cruiseHi);
  let decel = 2;
  let holdPressure = 10;
  let aMax = 1.5;
  // Turn manoeuvre (raised-cosine bump of the steering command).
  let turnStart = -1;
  let turnLen = 1;
  let turnAmp = 0;
  const lanePhase = rng.uniform(0, Math.PI * 2);
  const drift = rng.uniform(0, Math.PI * 2);

  let v = 0;
  let heading = rng.uniform(-Math.PI, Math.PI);
  let px = 0;
  let py = 0;
  for (let i = 0; i < n; i++) {
    const t = i * DT;
    // Phase transitions.
    const holding = blocked(t, t + 1);
    if (phase === 'stop' && (t >= phaseEnd || (t >= parkedUntilS && holding))) {
      phase = 'accel';
      target = rng.uniform(cruiseLo, cruiseHi);
      aMax = rng.uniform(1.0, 2.0);
      if (t > parkedUntilS + 1 && rng.chance(0.5)) {
        turnStart = t + rng.uniform(0.5, 1.5);
        turnLen = rng.uniform(6, 9);
        turnAmp = rng.pick([-1, 1]) * rng.uniform(60, 110);
      }
    } else if (phase === 'accel' && v >= (holding ? Math.max(target, 9) : target) - 0.3) {
      phase = 'cruise';
      phaseEnd = t + rng.uniform(18, 55);
    } else if (phase === 'cruise' && t >= phaseEnd) {
      const stopNeeds = v / 1.5 + 12 + 8; // brake + stand + pull away
      if (!blocked(t, t + stopNeeds) && rng.chance(0.65)) {
        phase = 'brake';
        decel = rng.uniform(1.2, 2.4);
      } else {
        phaseEnd = Math.max(holdEnd(t), t) + rng.uniform(10, 30);
        target = rng.uniform(cruiseLo, cruiseHi);
      }
    } else if (phase === 'brake' && v <= 0) {
      phase = 'stop';
      v = 0;
      phaseEnd = t + rng.uniform(4, 12);
      holdPressure = rng.uniform(8, 14);
    }

    // Longitudinal dynamics.
    let a = 0;
    let bar = 0;
    let thr = 0;
    if (phase === 'stop') {
      v = 0;
      bar = t < parkedUntilS ? 0 : holdPressure;
    } else if (phase === 'accel') {
      a = Math.min(aMax, 0.9 * ((holding ? Math.max(target, 9) : target) - v) + 0.4);
      if (turnStart >= 0 && t <= turnStart + turnLen && v > 4) a = Math.min(a, 0.3); // gentle through the turn
    } else if (phase === 'cruise') {
      const wobble = 1.2 * Math.sin((2 * Math.PI * t) / 37 + drift);
      const goal = holding ? Math.max(target, 9) : target;
      a = Math.max(-0.5, Math.min(0.9, 0.4 * (goal + wobble - v)));
    } else {
      a = -decel;
      bar = decel * 5 + 1.5;
    }
    v = Math.max(0, v + a * DT);
    if (phase !== 'stop' && v === 0) a = 0;
    if (a > 0) thr = Math.min(100, 8 + 22 * a + 0.9 * v);
    else if (phase === 'cruise') thr = Math.max(0, 6 + 10 * a + 0.4 * v);

    // Steering: lane keeping plus the occasional turn when pulling away.
    const laneScale = Math.min(1, 0.2 + (0.8 * v) / 3); // continuous, so the command never jumps
    let cmd = laneScale * (2.2 * Math.sin((2 * Math.PI * t) / 7.3 + lanePhase) + 1.1 * Math.sin((2 * Math.PI * t) / 3.1));
    if (turnStart >= 0 && t >= turnStart && t <= turnStart + turnLen) {
      cmd += (turnAmp * (1 - Math.cos((2 * Math.PI * (t - turnStart)) / turnLen))) / 2;
    }
    const wheelRad = (cmd / body.steeringRatio) * (Math.PI / 180);
    const r = (v * Math.tan(wheelRad)) / body.wheelbaseM;
    heading += r * DT;
    px += v * Math.cos(heading) * DT;
    py += v * Math.sin(heading) * DT;

    speed[i] = v;
    accel[i] = a;
    steer[i] = cmd;
    brakeBar[i] = bar;
    throttle[i] = thr;
    yawRate[i] = r;
    yaw[i] = Math.atan2(Math.sin(heading), Math.cos(heading));
    x[i] = px;
    y[i] = py;
  }
  return new DriveProfile(opts.durationS, speed, accel, steer, brakeBar, throttle, yawRate, yaw, x, y, parkedUntilS);
}
