// Parser for ROS 2 .msg schema text as rosbag2 stores it in MCAP
// (schema encoding "ros2msg"): the root definition, then dependent types,
// each after a separator line of '=' and a "MSG: pkg/Type" line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace argus::ros2 {

enum class Type : uint8_t {
  Bool, Byte, Char, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64,
  Float32, Float64, String, WString, Complex,
};

struct Field {
  std::string name;
  Type type = Type::Int32;
  int complex = -1;        // index into Schema::defs when type == Complex
  bool isArray = false;
  bool fixed = false;      // T[N]
  uint32_t length = 0;     // N for T[N], bound for T[<=N], 0 for T[]
};

struct MsgDef {
  std::string name;  // normalized "pkg/Type"
  std::vector<Field> fields;
};

struct Schema {
  std::vector<MsgDef> defs;  // defs[0] is the root message
};

// Parses `text` for the message named `rootName` (e.g. "std_msgs/msg/String").
Status parseSchema(std::string_view rootName, std::string_view text, Schema& out);

bool isByteLike(Type t);  // byte, char, uint8: variable arrays of these are blobs

}  // namespace argus::ros2
