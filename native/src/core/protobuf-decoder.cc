#include "protobuf-decoder.h"

#include <cstring>

#include "protobuf-wire.h"

namespace argus::pb {
namespace {

bool isPackable(int type) { return type != 9 && type != 10 && type != 11 && type != 12; }
int64_t zigzag(uint64_t n) { return static_cast<int64_t>(n >> 1) ^ -static_cast<int64_t>(n & 1); }

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
