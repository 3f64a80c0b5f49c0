/**
 * JSON Schemas (draft 2020-12) of the reference vehicle's JSON topics. The
 * parser derives table columns from `properties`, so every field a message
 * carries is listed there with its type and unit.
 */

type JsonType = 'number' | 'integer' | 'boolean' | 'string';

interface FieldSpec {
  readonly type: JsonType;
  readonly description: string;
  readonly enum?: readonly string[];
}

/** A JSON Schema object describing one flat message. */
export interface FlatJsonSchema {
  readonly $schema: string;
  readonly title: string;
  readonly description: string;
  readonly type: 'object';
  readonly properties: Readonly<Record<string, FieldSpec>>;
  readonly required: readonly string[];
  readonly additionalProperties: false;
}

function flat(title: string, description: string, properties: Record<string, FieldSpec>): FlatJsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    description,
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

const num = (description: string): FieldSpec => ({ type: 'number', description });
const int = (description: string): FieldSpec => ({ type: 'integer', description });
const bool = (description: string): FieldSpec => ({ type: 'boolean', description });
const str = (description: string, values?: readonly string[]): FieldSpec =>
  values ? { type: 'string', description, enum: values } : { type: 'string', description };

/** JSON Schemas by schema name (`argus.VehicleState`, …). */
export const JSON_SCHEMAS: Readonly<Record<string, FlatJsonSchema>> = {
  'argus.VehicleState': flat('argus.VehicleState', 'Chassis state from the vehicle CAN, 50 Hz.', {
    speed_mps: num('vehicle speed, m/s'),
    steering_angle_deg: num('measured steering-wheel angle, degrees, left positive'),
    steering_cmd_deg: num('commanded steering-wheel angle, degrees, left positive'),
    brake_pressure_bar: num('brake line pressure, bar'),
    brake_pedal: bool('brake requested (pedal or by-wire)'),
    throttle_pct: num('throttle request, %'),
    wheel_speed_fl_mps: num('front-left wheel speed, m/s'),
    wheel_speed_fr_mps: num('front-right wheel speed, m/s'),
    wheel_speed_rl_mps: num('rear-left wheel speed, m/s'),
    wheel_speed_rr_mps: num('rear-right wheel speed, m/s'),
    gear: str('selected gear', ['P', 'R', 'N', 'D']),
  }),
  'argus.Battery': flat('argus.Battery', 'Low- and high-voltage battery state, 10 Hz.', {
    lv_voltage_v: num('12 V network voltage, V'),
    hv_soc_pct: num('traction battery state of charge, %'),
    hv_voltage_v: num('traction battery voltage, V'),
    cell_delta_mv: num('spread between highest and lowest cell voltage, mV'),
    pack_temp_c: num('traction battery pack temperature, °C'),
  }),
  'argus.ComputeStats': flat('argus.ComputeStats', 'Main compute unit health, 1 Hz.', {
    cpu_load_pct: num('CPU load, %'),
    cpu_temp_c: num('CPU package temperature, °C'),
    gpu_temp_c: num('GPU temperature, °C'),
    gpu_ecc_errors: int('GPU ECC errors since boot (cumulative)'),
    mem_used_pct: num('memory in use, %'),
    disk_free_gb: num('free space on the recorder disk, GB'),
  }),
  'argus.Pose': flat('argus.Pose', 'Fused localization pose in the map frame, 20 Hz.', {
    x: num('east, m'),
    y: num('north, m'),
    yaw: num('heading, rad, counter-clockwise from east'),
    cov_trace: num('trace of the position covariance, m²'),
  }),
  'argus.PlanningCycle': flat('argus.PlanningCycle', 'One planner cycle, 10 Hz.', {
    latency_ms: num('cycle duration, ms (budget 100)'),
    status: str('cycle outcome', ['ok', 'degraded', 'overrun']),
  }),
  'argus.NetworkStats': flat('argus.NetworkStats', 'Backbone Ethernet statistics, 1 Hz.', {
    link: str('link name'),
    loss_pct: num('packet loss over the last second, %'),
    rtt_ms: num('round-trip time compute ↔ sensor switch, ms'),
  }),
  'argus.CanStats': flat('argus.CanStats', 'Per-bus CAN statistics, 1 Hz per bus.', {
    bus: str('bus name', ['pt', 'chassis']),
    load_pct: num('bus load, %'),
    error_frames: int('error frames in the last second'),
    bus_off: bool('controller is bus-off'),
  }),
  'argus.TimeSync': flat('argus.TimeSync', 'PTP clock synchronisation state, 1 Hz.', {
    ptp_offset_ns: int('offset from the grandmaster, ns'),
    locked: bool('servo locked to the grandmaster'),
  }),
};
