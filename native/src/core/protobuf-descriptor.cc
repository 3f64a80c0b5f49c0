// Parses a serialized google.protobuf.FileDescriptorSet (itself protobuf)
// into MessageDesc tables and resolves type names (absolute ".pkg.Msg" or
// relative, searched outward through the enclosing scopes).
#include <algorithm>
#include <unordered_map>

#include "protobuf-decoder.h"
#include "protobuf-wire.h"

namespace argus::pb {
namespace {

struct RawMsg {
  MessageDesc desc;
  std::string scope;  // for relative type names
};

bool parseField(std::string_view d, FieldDesc& f, bool proto3) {
  WireReader r(d);
  Entry e;
  bool oneof = false, p3opt = false;
  while (!r.done()) {
    if (!r.next(e)) return false;
    switch (e.number) {
      case 1: f.name = std::string(e.bytes); break;
      case 3: f.number = static_cast<uint32_t>(e.num); break;
      case 4: f.label = static_cast<int>(e.num); break;
      case 5: f.type = static_cast<int>(e.num); break;
      case 6: f.typeName = std::string(e.bytes); break;
      case 9: oneof = true; break;
      case 17: p3opt = e.num != 0; break;
      default: break;
    }
  }
  f.hasPresence = !proto3 || oneof || p3opt;
  return true;
}

bool parseMessage(std::string_view d, const std::string& scope, bool proto3, std::vector<RawMsg>& out) {
  WireReader r(d);
  Entry e;
  RawMsg m;
  m.desc.proto3 = proto3;
  std::vector<std::string_view> nested, fields;
  while (!r.done()) {
    if (!r.next(e)) return false;
    if (e.number == 1 && e.wire == kLen) m.desc.fullName = std::string(e.bytes);
    else if (e.number == 2 && e.wire == kLen) fields.push_back(e.bytes);
    else if (e.number == 3 && e.wire == kLen) nested.push_back(e.bytes);
  }
  m.desc.fullName = scope + "." + m.desc.fullName;
  m.scope = scope;
  for (auto fd : fields) {
    FieldDesc f;
    if (!parseField(fd, f, proto3)) return false;
    m.desc.fields.push_back(std::move(f));
  }
  std::string full = m.desc.fullName;
  out.push_back(std::move(m));
  for (auto nd : nested) {
    if (!parseMessage(nd, full, proto3, out)) return false;
  }
  return true;
}

bool parseFile(std::string_view d, std::vector<RawMsg>& out) {
  WireReader r(d);
  Entry e;
  std::string pkg;
  bool proto3 = false;
  std::vector<std::string_view> msgs;
  while (!r.done()) {
    if (!r.next(e)) return false;
    if (e.number == 2 && e.wire == kLen) pkg = std::string(e.bytes);
    else if (e.number == 4 && e.wire == kLen) msgs.push_back(e.bytes);
    else if (e.number == 12 && e.wire == kLen) proto3 = e.bytes == "proto3";
  }
  std::string scope = pkg.empty() ? "" : "." + pkg;
  for (auto m : msgs) {
    if (!parseMessage(m, scope, proto3, out)) return false;
  }
  return true;
}


}  // namespace

Status ProtobufDecoder::create(std::string_view set, std::string_view rootName, ProtobufDecoder& out) {
  std::vector<RawMsg> raw;
  WireReader r(set);
  Entry e;
  while (!r.done()) {
    if (!r.next(e) || (e.number == 1 && !parseFile(e.bytes, raw))) {
      return Status::Error("BAD_SCHEMA", "protobuf schema is not a valid FileDescriptorSet (byte " + std::to_string(r.pos()) + ")", r.pos());
    }
  }
  std::unordered_map<std::string, int> index;
  for (size_t i = 0; i < raw.size(); ++i) index.emplace(raw[i].desc.fullName, static_cast<int>(i));
  for (auto& m : raw) {
    for (auto& f : m.desc.fields) {
      if (f.type != 11 && f.type != 10) continue;
      int found = -1;
      if (!f.typeName.empty() && f.typeName[0] == '.') {
        auto it = index.find(f.typeName);
        if (it != index.end()) found = it->second;
      } else {
        // Relative name: search outward from the message's scope (protobuf scoping rules).
        std::string scope = m.desc.fullName;
        for (;;) {
          auto it = index.find(scope + "." + f.typeName);
          if (it != index.end()) { found = it->second; break; }
          size_t dot = scope.rfind('.');
          if (dot == std::string::npos) break;
          scope = scope.substr(0, dot);
        }
      }
      if (found < 0) {
        return Status::Error("BAD_SCHEMA", "protobuf type \"" + f.typeName + "\" used by " + m.desc.fullName.substr(1) + "." + f.name + " is not in the FileDescriptorSet", 0);
      }
      f.message = found;
    }
    for (size_t i = 0; i < m.desc.fields.size(); ++i) m.desc.byNumber.emplace_back(m.desc.fields[i].number, static_cast<int>(i));
    std::sort(m.desc.byNumber.begin(), m.desc.byNumber.end());
  }
  if (!rootName.empty() && rootName[0] == '.') rootName.remove_prefix(1);
  auto it = index.find("." + std::string(rootName));
  if (it == index.end()) {
    return Status::Error("BAD_SCHEMA", "protobuf message \"" + std::string(rootName) + "\" is not in the FileDescriptorSet", 0);
  }
  out.messages_.clear();
  for (auto& m : raw) out.messages_.push_back(std::move(m.desc));
  out.root_ = it->second;
  return Status::Ok();
}

}  // namespace argus::pb
