#include "protobuf-decoder.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace argus::pb {
namespace {

constexpr int kMaxDepth = 64;

enum Wire { kVarint = 0, kFixed64 = 1, kLen = 2, kStartGroup = 3, kEndGroup = 4, kFixed32 = 5 };

// One field occurrence on the wire.
struct Entry {
  uint32_t number = 0;
  int wire = 0;
  uint64_t num = 0;        // varint / fixed value
  std::string_view bytes;  // length-delimited payload
};



class WireReader {
 public:
  explicit WireReader(std::string_view d) : d_(d) {}
  size_t pos() const { return p_; }
  bool done() const { return p_ >= d_.size(); }

  bool varint(uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p_ >= d_.size()) return false;
      uint8_t b = static_cast<uint8_t>(d_[p_++]);
      if (shift < 64) out |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool fixed(size_t n, uint64_t& out) {
    if (d_.size() - p_ < n) return false;
    out = 0;
    for (size_t k = n; k-- > 0;) out = (out << 8) | static_cast<uint8_t>(d_[p_ + k]);
    p_ += n;
    return true;
  }
  // Reads the next field; groups are skipped whole (deprecated, not decoded).
  bool next(Entry& e, int depth = 0) {
    uint64_t tag;
    if (!varint(tag)) return false;
    e.number = static_cast<uint32_t>(tag >> 3);
    e.wire = static_cast<int>(tag & 7);
    e.bytes = {};
    e.num = 0;
    switch (e.wire) {
      case kVarint: return varint(e.num);
      case kFixed64: return fixed(8, e.num);
      case kFixed32: return fixed(4, e.num);
      case kLen: {
        uint64_t n;
        if (!varint(n) || n > d_.size() - p_) return false;
        e.bytes = d_.substr(p_, static_cast<size_t>(n));
        p_ += static_cast<size_t>(n);
        return true;
      }
      case kStartGroup: {
        if (depth > kMaxDepth) return false;
        Entry inner;
        for (;;) {
          if (!next(inner, depth + 1)) return false;
          if (inner.wire == kEndGroup) return inner.number == e.number;
        }
      }
      case kEndGroup: return true;
      default: return false;
    }
  }

 private:
  std::string_view d_;
  size_t p_ = 0;
};

// ---- descriptor parsing -------------------------------------------------

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

bool isPackable(int type) { return type != 9 && type != 10 && type != 11 && type != 12; }
int64_t zigzag(uint64_t n) { return static_cast<int64_t>(n >> 1) ^ -static_cast<int64_t>(n & 1); }

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
  auto it = index.find("." + std::string(rootName));
  if (it == index.end()) {
    return Status::Error("BAD_SCHEMA", "protobuf message \"" + std::string(rootName) + "\" is not in the FileDescriptorSet", 0);
  }
  out.messages_.clear();
  for (auto& m : raw) out.messages_.push_back(std::move(m.desc));
  out.root_ = it->second;
  return Status::Ok();
}

namespace {

class Decoder {
 public:
  Decoder(const std::vector<MessageDesc>& m, ValueTree& t) : m_(m), t_(t) {}
  Status err;

  bool message(int idx, std::string_view data, Value& v, int depth) {
    if (depth > kMaxDepth) return fail("nesting deeper than 64", 0);
    const MessageDesc& md = m_[static_cast<size_t>(idx)];
    size_t mark = scratch_.size();
    WireReader r(data);
    while (!r.done()) {
      Entry e;
      if (!r.next(e)) return fail("malformed wire data in " + md.fullName.substr(1), r.pos());
      if (e.wire == kStartGroup || e.wire == kEndGroup) continue;
      scratch_.push_back(e);
    }
    size_t end = scratch_.size();
    uint32_t n = static_cast<uint32_t>(md.fields.size());
    uint32_t slot = t_.reserve(n);
    for (uint32_t fi = 0; fi < n; ++fi) {
      const FieldDesc& f = md.fields[fi];
      Value out;
      if (f.label == 3) {
        if (!repeated(f, mark, end, out, depth)) return false;
      } else {
        size_t last = end;
        for (size_t k = mark; k < end; ++k) if (scratch_[k].number == f.number) last = k;
        if (last == end) {
          if (!f.hasPresence && f.type != 11) defaultOf(f, out);
        } else {
          Entry e = scratch_[last];
          if (!single(f, e, out, depth)) return false;
        }
      }
      out.key = f.name;
      t_.nodes[slot + fi] = out;
    }
    scratch_.resize(mark);
    v.kind = VKind::Object;
    v.first = slot;
    v.count = n;
    return true;
  }

 private:
  bool fail(std::string what, size_t at) {
    if (err.ok()) err = Status::Error("BAD_PROTOBUF", what, at);
    return false;
  }

  static void defaultOf(const FieldDesc& f, Value& v) {
    switch (f.type) {
      case 1: v.kind = VKind::Float64; v.n.d = 0; break;
      case 2: v.kind = VKind::Float32; v.n.d = 0; break;
      case 8: v.kind = VKind::Bool; v.n.b = false; break;
      case 9: v.kind = VKind::String; break;
      case 12: v.kind = VKind::PrimArray; v.elem = Prim::UInt8; v.blob = true; v.count = 0; break;
      case 4: case 6: case 7: case 13: v.kind = VKind::UInt; v.n.u = 0; break;
      default: v.kind = VKind::Int; v.n.i = 0; break;
    }
  }

  // Converts a numeric payload (from its own entry or a packed run) to a Value.
  static void number(int type, uint64_t raw, Value& v) {
    switch (type) {
      case 1: { double d; std::memcpy(&d, &raw, 8); v.kind = VKind::Float64; v.n.d = d; break; }
      case 2: { uint32_t r32 = static_cast<uint32_t>(raw); float f; std::memcpy(&f, &r32, 4); v.kind = VKind::Float32; v.n.d = f; break; }
      case 3: case 16: v.kind = VKind::Int; v.n.i = static_cast<int64_t>(raw); break;
      case 5: case 14: case 15: v.kind = VKind::Int; v.n.i = static_cast<int32_t>(static_cast<uint32_t>(raw)); break;
      case 4: case 6: v.kind = VKind::UInt; v.n.u = raw; break;
      case 7: case 13: v.kind = VKind::UInt; v.n.u = static_cast<uint32_t>(raw); break;
      case 8: v.kind = VKind::Bool; v.n.b = raw != 0; break;
      case 17: v.kind = VKind::Int; v.n.i = static_cast<int32_t>(static_cast<uint32_t>(zigzag(raw))); break;
      case 18: v.kind = VKind::Int; v.n.i = zigzag(raw); break;
      default: break;
    }
  }

  static int wireOf(int type) {
    switch (type) {
      case 1: case 6: case 16: return kFixed64;
      case 2: case 7: case 15: return kFixed32;
      case 9: case 11: case 12: return kLen;
      default: return kVarint;
    }
  }

  bool single(const FieldDesc& f, const Entry& e, Value& v, int depth) {
    if (e.wire != wireOf(f.type)) return fail("field " + f.name + " has wire type " + std::to_string(e.wire), 0);
    switch (f.type) {
      case 9: v.kind = VKind::String; v.str = e.bytes; return true;
      case 12:
        v.kind = VKind::PrimArray; v.elem = Prim::UInt8; v.blob = true;
        v.count = static_cast<uint32_t>(e.bytes.size()); v.str = e.bytes;
        return true;
      case 11: return message(f.message, e.bytes, v, depth + 1);
      default: number(f.type, e.num, v); return true;
    }
  }

  // Number of elements in a packed run, or -1 when malformed.
  static int64_t packedCount(int type, std::string_view b) {
    int w = wireOf(type);
    if (w == kFixed64) return b.size() % 8 ? -1 : static_cast<int64_t>(b.size() / 8);
    if (w == kFixed32) return b.size() % 4 ? -1 : static_cast<int64_t>(b.size() / 4);
    int64_t n = 0;
    for (char c : b) if (!(static_cast<uint8_t>(c) & 0x80)) ++n;
    if (!b.empty() && (static_cast<uint8_t>(b.back()) & 0x80)) return -1;
    return n;
  }

  bool repeated(const FieldDesc& f, size_t mark, size_t end, Value& v, int depth) {
    bool packable = isPackable(f.type);
    uint64_t count = 0;
    for (size_t k = mark; k < end; ++k) {
      const Entry& e = scratch_[k];
      if (e.number != f.number) continue;
      if (packable && e.wire == kLen) {
        int64_t c = packedCount(f.type, e.bytes);
        if (c < 0) return fail("malformed packed field " + f.name, 0);
        count += static_cast<uint64_t>(c);
      } else {
        ++count;
      }
    }
    if (count > 0xFFFFFFFFu) return fail("too many elements in " + f.name, 0);
    uint32_t slot = t_.reserve(static_cast<uint32_t>(count));
    uint32_t i = 0;
    for (size_t k = mark; k < end; ++k) {
      Entry e = scratch_[k];
      if (e.number != f.number) continue;
      if (packable && e.wire == kLen) {
        WireReader r(e.bytes);
        int w = wireOf(f.type);
        while (!r.done()) {
          uint64_t raw = 0;
          bool ok = w == kFixed64 ? r.fixed(8, raw) : w == kFixed32 ? r.fixed(4, raw) : r.varint(raw);
          if (!ok) return fail("malformed packed field " + f.name, 0);
          Value el;
          number(f.type, raw, el);
          t_.nodes[slot + i++] = el;
        }
      } else {
        Value el;
        if (!single(f, e, el, depth)) return false;
        t_.nodes[slot + i++] = el;
      }
    }
    v.kind = VKind::Array;
    v.first = slot;
    v.count = i;
    return true;
  }

  const std::vector<MessageDesc>& m_;
  ValueTree& t_;
  std::vector<Entry> scratch_;
};

LayoutNode layoutOf(const std::vector<MessageDesc>& msgs, int idx, std::string name, int depth) {
  if (depth > 8) return LayoutNode::jsonCol(std::move(name));
  LayoutNode n = LayoutNode::structOf(std::move(name));
  for (const auto& f : msgs[static_cast<size_t>(idx)].fields) {
    if (f.label == 3) {
      if (f.type == 9 || f.type == 11 || f.type == 12 || f.type == 10) n.children.push_back(LayoutNode::jsonCol(f.name));
      else n.children.push_back(LayoutNode::numArray(f.name, false, 0));
    } else if (f.type == 11) {
      n.children.push_back(layoutOf(msgs, f.message, f.name, depth + 1));
    } else if (f.type == 12) {
      n.children.push_back(LayoutNode::blob(f.name));
    } else {
      n.children.push_back(LayoutNode::scalar(f.name));
    }
  }
  return n;
}

}  // namespace

Status ProtobufDecoder::decode(std::string_view data, ValueTree& tree, uint32_t& root) const {
  tree.clear();
  Decoder d(messages_, tree);
  Value v;
  if (!d.message(root_, data, v, 0)) return d.err;
  root = tree.add(v);
  return Status::Ok();
}

LayoutNode ProtobufDecoder::layout() const { return layoutOf(messages_, root_, "", 0); }

}  // namespace argus::pb
