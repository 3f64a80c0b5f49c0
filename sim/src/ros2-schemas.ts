/**
 * ROS 2 `.msg` definitions used by the reference vehicle, and the rosbag2 way of
 * concatenating a type with its dependencies into one `ros2msg` schema.
 *
 * rosbag2 (rosbag2_cpp LocalMessageDefinitionSource) writes the root `.msg`
 * text, then for every dependency not yet written, in sorted order and depth
 * first: a newline, a line of 80 `=`, a line `MSG: <type as referenced in the
 * field>` (e.g. `MSG: std_msgs/Header`) and that type's text. We do the same,
 * so readers that resolve field types by name (e.g. @foxglove/rosmsg) work.
 */

/** `.msg` texts keyed by `package/Type` (the form fields use to reference them). */
const MSG_TEXT: Readonly<Record<string, string>> = {
  'builtin_interfaces/Time': ['int32 sec', 'uint32 nanosec', ''].join('\n'),
  'std_msgs/Header': [
    '# Timestamp and coordinate frame of stamped data.',
    'builtin_interfaces/Time stamp',
    'string frame_id',
    '',
  ].join('\n'),
  'diagnostic_msgs/KeyValue': ['string key', 'string value', ''].join('\n'),
  'diagnostic_msgs/DiagnosticStatus': [
    'byte OK=0',
    'byte WARN=1',
    'byte ERROR=2',
    'byte STALE=3',
    'byte level',
    'string name',
    'string message',
    'string hardware_id',
    'KeyValue[] values',
    '',
  ].join('\n'),
  'diagnostic_msgs/DiagnosticArray': ['std_msgs/Header header', 'DiagnosticStatus[] status', ''].join('\n'),
  'rcl_interfaces/Log': [
    'byte DEBUG=10',
    'byte INFO=20',
    'byte WARN=30',
    'byte ERROR=40',
    'byte FATAL=50',
    'builtin_interfaces/Time stamp',
    'uint8 level',
    'string name',
    'string msg',
    'string file',
    'string function',
    'uint32 line',
    '',
  ].join('\n'),
  'sensor_msgs/NavSatStatus': [
    'int8 STATUS_NO_FIX=-1',
    'int8 STATUS_FIX=0',
    'int8 STATUS_SBAS_FIX=1',
    'int8 STATUS_GBAS_FIX=2',
    'int8 status',
    'uint16 SERVICE_GPS=1',
    'uint16 SERVICE_GLONASS=2',
    'uint16 SERVICE_COMPASS=4',
    'uint16 SERVICE_GALILEO=8',
    'uint16 service',
    '',
  ].join('\n'),
  'sensor_msgs/NavSatFix': [
    'std_msgs/Header header',
    'NavSatStatus status',
    'float64 latitude',
    'float64 longitude',
    'float64 altitude',
    'float64[9] position_covariance',
    'uint8 COVARIANCE_TYPE_UNKNOWN=0',
    'uint8 COVARIANCE_TYPE_APPROXIMATED=1',
    'uint8 COVARIANCE_TYPE_DIAGONAL_KNOWN=2',
    'uint8 COVARIANCE_TYPE_KNOWN=3',
    'uint8 position_covariance_type',
    '',
  ].join('\n'),
  'geometry_msgs/Quaternion': ['float64 x 0', 'float64 y 0', 'float64 z 0', 'float64 w 1', ''].join('\n'),
  'geometry_msgs/Vector3': ['float64 x', 'float64 y', 'float64 z', ''].join('\n'),
  'sensor_msgs/Imu': [
    'std_msgs/Header header',
    'geometry_msgs/Quaternion orientation',
    'float64[9] orientation_covariance',
    'geometry_msgs/Vector3 angular_velocity',
    'float64[9] angular_velocity_covariance',
    'geometry_msgs/Vector3 linear_acceleration',
    'float64[9] linear_acceleration_covariance',
    '',
  ].join('\n'),
  'argus_msgs/SensorHeartbeat': [
    '# Per-frame bookkeeping of a sensor driver (the payload itself is not recorded).',
    'std_msgs/Header header',
    'uint32 seq',
    'uint32 count',
    'uint8 status',
    '',
  ].join('\n'),
};

const PRIMITIVES = new Set([
  'bool', 'byte', 'char', 'float32', 'float64', 'int8', 'uint8', 'int16', 'uint16',
  'int32', 'uint32', 'int64', 'uint64', 'string', 'wstring',
]);

const FIELD_TYPE = /(?:^|\n)\s*([a-zA-Z0-9_/]+)(?:\[[^\]]*\])?\s+/g;

/** Drops the `msg` namespace: `std_msgs/msg/Header` → `std_msgs/Header`. */
function shortName(type: string): string {
  const parts = type.split('/');
  return parts.length === 3 ? `${parts[0]}/${parts[2]}` : type;
}

function dependenciesOf(text: string, pkg: string): string[] {
  const deps = new Set<string>();
  for (const m of text.matchAll(FIELD_TYPE)) {
    const type = m[1] ?? '';
    if (PRIMITIVES.has(type)) continue;
    deps.add(type.includes('/') ? type : `${pkg}/${type}`);
  }
  // std::set<std::string> iteration order (byte-wise ascending).
  return [...deps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The complete `ros2msg` schema text of a type, as rosbag2 records it.
 *
 * @param type - full ROS 2 type name, e.g. `diagnostic_msgs/msg/DiagnosticArray`
 * @example ros2MsgSchema('sensor_msgs/msg/Imu').startsWith('std_msgs/Header header')
 */
export function ros2MsgSchema(type: string): string {
  const seen = new Set<string>();
  const append = (name: string, depth: number): string => {
    if (depth <= 0) throw new Error(`ros2 schema of ${type} nests too deeply`);
    const text = MSG_TEXT[name];
    if (text === undefined) throw new Error(`no .msg definition for ${name} (needed by ${type})`);
    let out = text;
    for (const dep of dependenciesOf(text, name.split('/')[0] ?? '')) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      out += `\n${'='.repeat(80)}\nMSG: ${dep}\n${append(dep, depth - 1)}`;
    }
    return out;
  };
  return append(shortName(type), 16);
}
