#include "ros2msg.h"

#include <charconv>
#include <unordered_map>

namespace argus::ros2 {
namespace {

struct RawField {
  std::string typeName;  // base type as written (maybe relative)
  Field field;
};
struct RawDef {
  std::string name;
  std::vector<RawField> fields;
};

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

// "pkg/msg/Type" -> "pkg/Type"; other forms unchanged.
std::string normalize(std::string_view name) {
  size_t first = name.find('/');
  size_t last = name.rfind('/');
  if (first != std::string_view::npos && first != last) {
    return std::string(name.substr(0, first)) + "/" + std::string(name.substr(last + 1));
  }
  return std::string(name);
}

bool primitive(std::string_view t, Type& out) {
  static const std::unordered_map<std::string_view, Type> m = {
      {"bool", Type::Bool},       {"byte", Type::Byte},       {"char", Type::Char},
      {"int8", Type::Int8},       {"uint8", Type::UInt8},     {"int16", Type::Int16},
      {"uint16", Type::UInt16},   {"int32", Type::Int32},     {"uint32", Type::UInt32},
      {"int64", Type::Int64},     {"uint64", Type::UInt64},   {"float32", Type::Float32},
      {"float64", Type::Float64}, {"string", Type::String},   {"wstring", Type::WString},
  };
  auto it = m.find(t);
  if (it == m.end()) return false;
  out = it->second;
  return true;
}

bool parseUInt(std::string_view s, uint32_t& out) {
  s = trim(s);
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

Status parseLine(std::string_view line, RawDef& def, uint64_t lineNo) {
  size_t hash = line.find('#');
  if (hash != std::string_view::npos) line = line.substr(0, hash);
  line = trim(line);
  if (line.empty()) return Status::Ok();
  size_t sp = line.find_first_of(" \t");
  if (sp == std::string_view::npos) {
    return Status::Error("BAD_SCHEMA", "ros2msg line " + std::to_string(lineNo) + ": field without a name", lineNo);
  }
  std::string_view typeTok = line.substr(0, sp);
  std::string_view rest = trim(line.substr(sp));
  size_t nameEnd = rest.find_first_of(" \t=");
  std::string_view name = rest.substr(0, nameEnd);
  if (nameEnd != std::string_view::npos) {
    std::string_view after = trim(rest.substr(nameEnd));
    if (!after.empty() && after[0] == '=') return Status::Ok();  // constant: not a field
  }
  if (name.empty()) {
    return Status::Error("BAD_SCHEMA", "ros2msg line " + std::to_string(lineNo) + ": field without a name", lineNo);
  }

  RawField rf;
  rf.field.name = std::string(name);
  std::string_view base = typeTok;
  size_t br = typeTok.find('[');
  if (br != std::string_view::npos) {
    size_t close = typeTok.find(']', br);
    if (close == std::string_view::npos) {
      return Status::Error("BAD_SCHEMA", "ros2msg line " + std::to_string(lineNo) + ": unterminated '['", lineNo);
    }
    base = typeTok.substr(0, br);
    std::string_view inside = typeTok.substr(br + 1, close - br - 1);
    rf.field.isArray = true;
    if (inside.empty()) {
      rf.field.length = 0;
    } else if (inside.substr(0, 2) == "<=") {
      if (!parseUInt(inside.substr(2), rf.field.length)) {
        return Status::Error("BAD_SCHEMA", "ros2msg line " + std::to_string(lineNo) + ": bad array bound", lineNo);
      }
    } else {
      rf.field.fixed = true;
      if (!parseUInt(inside, rf.field.length)) {
        return Status::Error("BAD_SCHEMA", "ros2msg line " + std::to_string(lineNo) + ": bad array size", lineNo);
      }
    }
  }
  size_t le = base.find("<=");  // bounded string: string<=N
  if (le != std::string_view::npos) base = base.substr(0, le);
  if (primitive(base, rf.field.type)) {
    rf.typeName = std::string(base);
  } else {
    rf.field.type = Type::Complex;
    rf.typeName = std::string(base);
  }
  def.fields.push_back(std::move(rf));
  return Status::Ok();
}

bool isSeparator(std::string_view line) {
  line = trim(line);
  if (line.size() < 3) return false;
  for (char c : line) if (c != '=') return false;
  return true;
}

std::string packageOf(const std::string& name) {
  size_t s = name.find('/');
  return s == std::string::npos ? std::string() : name.substr(0, s);
}

}  // namespace

bool isByteLike(Type t) { return t == Type::Byte || t == Type::Char || t == Type::UInt8; }

Status parseSchema(std::string_view rootName, std::string_view text, Schema& out) {
  std::vector<RawDef> raw(1);
  raw[0].name = normalize(rootName);
  uint64_t lineNo = 0;
  bool expectName = false;
  size_t p = 0;
  while (p <= text.size()) {
    size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(p, nl - p);
    p = nl + 1;
    ++lineNo;
    if (isSeparator(line)) {
      raw.emplace_back();
      expectName = true;
      continue;
    }
    std::string_view t = trim(line);
    if (expectName) {
      if (t.empty()) continue;
      if (t.substr(0, 4) == "MSG:") {
        raw.back().name = normalize(trim(t.substr(4)));
        expectName = false;
        continue;
      }
      expectName = false;
    }
    Status st = parseLine(line, raw.back(), lineNo);
    if (!st.ok()) return st;
  }

  std::unordered_map<std::string, int> index;
  for (size_t i = 0; i < raw.size(); ++i) index.emplace(raw[i].name, static_cast<int>(i));
  out.defs.clear();
  out.defs.resize(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) out.defs[i].name = raw[i].name;

  // builtin_interfaces/Time and Duration: int32 sec, uint32 nanosec, added on demand.
  auto builtinTime = [&](const std::string& name) -> int {
    auto it = index.find(name);
    if (it != index.end()) return it->second;
    MsgDef d;
    d.name = name;
    Field sec;
    sec.name = "sec";
    sec.type = Type::Int32;
    Field nsec;
    nsec.name = "nanosec";
    nsec.type = Type::UInt32;
    d.fields = {sec, nsec};
    out.defs.push_back(d);
    int at = static_cast<int>(out.defs.size() - 1);
    index.emplace(name, at);
    return at;
  };

  for (size_t i = 0; i < raw.size(); ++i) {
    std::string pkg = packageOf(raw[i].name);
    for (auto& rf : raw[i].fields) {
      Field f = rf.field;
      if (f.type == Type::Complex) {
        std::string want = normalize(rf.typeName);
        int found = -1;
        if (want == "time" || want == "builtin_interfaces/Time") {
          found = builtinTime("builtin_interfaces/Time");
        } else if (want == "duration" || want == "builtin_interfaces/Duration") {
          found = builtinTime("builtin_interfaces/Duration");
        } else {
          if (want == "Header") want = "std_msgs/Header";
          auto it = index.find(want);
          if (it == index.end() && want.find('/') == std::string::npos && !pkg.empty()) {
            it = index.find(pkg + "/" + want);
          }
          if (it == index.end() && want.find('/') == std::string::npos) {
            // Fall back to any definition with that short name.
            for (auto& [k, v] : index) {
              size_t s = k.rfind('/');
              if (s != std::string::npos && k.substr(s + 1) == want) { it = index.find(k); break; }
            }
          }
          if (it != index.end()) found = it->second;
        }
        if (found < 0) {
          return Status::Error("BAD_SCHEMA",
                               "ros2msg: type \"" + rf.typeName + "\" used by " + raw[i].name + "." +
                                   f.name + " is not defined in the schema",
                               0);
        }
        f.complex = found;
      }
      out.defs[i].fields.push_back(std::move(f));
    }
  }
  return Status::Ok();
}

}  // namespace argus::ros2
