#include "cdr-decoder.h"

#include <charconv>
#include <cstring>

#include "cell-stage.h"
#include "csv-writer.h"

namespace argus {
namespace {

constexpr int kMaxDepth = 64;
// Cap on decoded nodes per message: zero-size elements (T[0] members) could
// otherwise make a schema expand a tiny message without bound.
constexpr size_t kMaxNodes = 1u << 24;

Prim primOf(ros2::Type t) {
  using T = ros2::Type;
  switch (t) {
    case T::Bool: return Prim::Bool;
    case T::Byte: case T::Char: case T::UInt8: return Prim::UInt8;
    case T::Int8: return Prim::Int8;
    case T::Int16: return Prim::Int16;
    case T::UInt16: return Prim::UInt16;
    case T::Int32: return Prim::Int32;
    case T::UInt32: return Prim::UInt32;
    case T::Int64: return Prim::Int64;
    case T::UInt64: return Prim::UInt64;
    case T::Float32: return Prim::Float32;
    case T::Float64: return Prim::Float64;
    default: return Prim::UInt8;
  }
}

}  // namespace

// The text of a float64 array as last written for one layout node (see
// Reader::float64Cells), per thread: parsers on different threads never share
// a slot.
struct Float64ArrayText {
  static constexpr uint32_t kMaxElems = 36;  // a 6x6 covariance
  uint32_t elems = 0;                        // 0: empty
  bool bigEndian = false;
  size_t textLen = 0;
  char wire[kMaxElems * 8];
  char text[kMaxElems * (kMaxFloatText + 1)];
};
constexpr size_t kFloat64ArraySlots = 16;
thread_local Float64ArrayText tFloat64Arrays[kFloat64ArraySlots];

// One field of a row plan, in wire order. Primitive scalars carry their
// type in `kind`; the rest keep the field and its layout node for the code
// the tree walk uses.
struct CdrRowPlan {
  enum class Kind : uint8_t { F64, F32, I8, I16, I32, I64, U8, U16, U32, U64, Bool, String, OtherScalar, Array, Json, Empty };
  struct Step {
    Kind kind;
    uint32_t col;
    int depth;
    const ros2::Field* field;
    const LayoutNode* node;
  };
  std::vector<Step> steps;
};

namespace {

CdrRowPlan::Kind planKind(ros2::Type t) {
  using T = ros2::Type;
  using K = CdrRowPlan::Kind;
  switch (t) {
    case T::Float64: return K::F64;
    case T::Float32: return K::F32;
    case T::Int8: return K::I8;
    case T::Int16: return K::I16;
    case T::Int32: return K::I32;
    case T::Int64: return K::I64;
    case T::Byte: case T::Char: case T::UInt8: return K::U8;
    case T::UInt16: return K::U16;
    case T::UInt32: return K::U32;
    case T::UInt64: return K::U64;
    case T::Bool: return K::Bool;
    case T::String: return K::String;
    default: return K::OtherScalar;
  }
}

// Appends the steps of struct `defIndex` laid out as `n` (layoutOf() made one
// layout child per field, in order); false when it nests deeper than
// kMaxDepth.
bool planStruct(const ros2::Schema& s, int defIndex, const LayoutNode& n, int depth, CdrRowPlan& plan) {
  if (depth > kMaxDepth) return false;
  const ros2::MsgDef& def = s.defs[static_cast<size_t>(defIndex)];
  if (def.fields.empty()) {
    plan.steps.push_back({CdrRowPlan::Kind::Empty, 0, depth, nullptr, &n});
    return true;
  }
  for (size_t i = 0; i < def.fields.size(); ++i) {
    const ros2::Field& f = def.fields[i];
    const LayoutNode& c = n.children[i];
    switch (c.kind) {
      case LayoutNode::Kind::Struct:
        if (!planStruct(s, f.complex, c, depth + 1, plan)) return false;
        break;
      case LayoutNode::Kind::Scalar:
        plan.steps.push_back({planKind(f.type), c.col, depth, &f, &c});
        break;
      case LayoutNode::Kind::JsonCol:
        plan.steps.push_back({CdrRowPlan::Kind::Json, c.col, depth, &f, &c});
        break;
      case LayoutNode::Kind::Blob:
      case LayoutNode::Kind::NumArray:
        plan.steps.push_back({CdrRowPlan::Kind::Array, c.col, depth, &f, &c});
        break;
    }
  }
  return true;
}

class Reader {
 public:
  Reader(const ros2::Schema& s, std::string_view data, ValueTree& t) : s_(s), d_(data), t_(t) {}

  // The encapsulation header: byte order and 8-byte alignment.
  bool header() {
    if (d_.size() < 4) {
      err_ = Status::Error("BAD_CDR", "CDR payload of " + std::to_string(d_.size()) + " bytes is shorter than its 4-byte header", 0);
      return false;
    }
    uint8_t kind = static_cast<uint8_t>(d_[1]);
    switch (kind) {
      case 0x00: big_ = true; break;                              // CDR_BE
      case 0x01: break;                                           // CDR_LE
      case 0x06: case 0x10: big_ = true; align8_ = 4; break;      // (RTPS_)CDR2_BE
      case 0x07: case 0x11: align8_ = 4; break;                   // (RTPS_)CDR2_LE
      default:
        err_ = Status::Error("BAD_CDR", "unsupported CDR encapsulation kind " + std::to_string(kind), 1);
        return false;
    }
    pos_ = 4;
    return true;
  }

  // Row cells straight from the bytes by a plan: the same reads in the same
  // order as decode(), so the same errors, and the cells flatten() writes
  // of its tree, staged (CellStage).
  Status row(const CdrRowPlan& plan, uint32_t columns, CellStage& out) {
    st_ = &out;
    if (!header() || !planCells(plan)) return err_;
    out.finish(columns);
    return Status::Ok();
  }

  Status run(uint32_t& root) {
    Value v;
    if (!header() || !structAt(0, v, 0)) return err_;
    root = t_.add(v);
    return Status::Ok();
  }

 private:
  bool fail(std::string what) {
    if (err_.ok()) err_ = Status::Error("BAD_CDR", what + " at CDR offset " + std::to_string(pos_), pos_);
    return false;
  }
  bool align(size_t n) {
    // n is 1, 2, 4 or 8: a mask, not a division (this runs for every field).
    size_t rel = (pos_ - 4) & (n - 1);
    if (rel) pos_ += n - rel;
    if (pos_ > d_.size()) return fail("alignment runs past the end of the message");
    return true;
  }
  bool need(uint64_t n) {
    if (n > d_.size() - pos_) return fail("message too short: " + std::to_string(n) + " more bytes needed");
    return true;
  }
  uint64_t raw(size_t n) {
    const uint8_t* p = reinterpret_cast<const uint8_t*>(d_.data()) + pos_;
    uint64_t v = 0;
    if (big_) for (size_t k = 0; k < n; ++k) v = (v << 8) | p[k];
    else for (size_t k = n; k-- > 0;) v = (v << 8) | p[k];
    pos_ += n;
    return v;
  }
  bool u32(uint32_t& out) {
    if (!align(4) || !need(4)) return false;
    out = static_cast<uint32_t>(raw(4));
    return true;
  }

  bool primitive(ros2::Type t, Value& v) {
    Prim p = primOf(t);
    size_t sz = primSize(p);
    if (!align(sz == 8 ? align8_ : sz) || !need(sz)) return false;
    v = ValueTree::fromRaw(p, raw(sz));
    return true;
  }

  bool string(Value& v) {
    uint32_t len;
    if (!u32(len) || !need(len)) return false;
    v.kind = VKind::String;
    v.str = len <= 1 ? std::string_view() : d_.substr(pos_, len - 1);
    pos_ += len;
    return true;
  }

  // wstring: uint32 count of characters, each a 4-byte code unit (Fast-CDR's
  // wchar_t). UTF-16 surrogate pairs are joined; output is UTF-8.
  // Note: @foxglove/rosmsg2-serialization rejects wstring altogether.
  bool wstring(Value& v) {
    uint32_t n;
    if (!u32(n) || !need(static_cast<uint64_t>(n) * 4)) return false;
    std::string o;
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t cp = static_cast<uint32_t>(raw(4));
      if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < n) {
        size_t save = pos_;
        uint32_t lo = static_cast<uint32_t>(raw(4));
        if (lo >= 0xDC00 && lo < 0xE000) { cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); ++i; }
        else pos_ = save;
      }
      if (cp == 0 && i + 1 == n) break;  // tolerate a terminating NUL
      if ((cp >= 0xD800 && cp < 0xE000) || cp > 0x10FFFF) cp = 0xFFFD;
      if (cp < 0x80) { o += static_cast<char>(cp); }
      else if (cp < 0x800) { o += static_cast<char>(0xC0 | (cp >> 6)); o += static_cast<char>(0x80 | (cp & 0x3F)); }
      else if (cp < 0x10000) { o += static_cast<char>(0xE0 | (cp >> 12)); o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); o += static_cast<char>(0x80 | (cp & 0x3F)); }
      else { o += static_cast<char>(0xF0 | (cp >> 18)); o += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)); o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); o += static_cast<char>(0x80 | (cp & 0x3F)); }
    }
    v.kind = VKind::String;
    v.str = t_.keep(std::move(o));
    return true;
  }

  bool scalarField(const ros2::Field& f, Value& v, int depth) {
    switch (f.type) {
      case ros2::Type::Complex: return structAt(f.complex, v, depth + 1);
      case ros2::Type::String: return string(v);
      case ros2::Type::WString: return wstring(v);
      default: return primitive(f.type, v);
    }
  }

  bool field(const ros2::Field& f, Value& v, int depth) {
    if (!f.isArray) return scalarField(f, v, depth);
    uint32_t count = f.length;
    if (!f.fixed && !u32(count)) return false;
    if (f.type == ros2::Type::Complex || f.type == ros2::Type::String || f.type == ros2::Type::WString) {
      // Every element takes at least one byte: a cheap guard against huge counts.
      if (count > d_.size() - pos_) return fail("array length " + std::to_string(count) + " exceeds the message");
      if (t_.nodes.size() + count > kMaxNodes) return fail("message expands to more than 16M values");
      uint32_t slot = t_.reserve(count);
      for (uint32_t i = 0; i < count; ++i) {
        Value e;
        if (!scalarField(f, e, depth)) return false;
        t_.nodes[slot + i] = e;
      }
      v.kind = VKind::Array;
      v.first = slot;
      v.count = count;
      return true;
    }
    Prim p = primOf(f.type);
    size_t sz = primSize(p);
    if (count > 0 && !align(sz == 8 ? align8_ : sz)) return false;
    if (!need(static_cast<uint64_t>(count) * sz)) return false;
    v.kind = VKind::PrimArray;
    v.elem = p;
    v.bigEndian = big_;
    v.count = count;
    v.blob = !f.fixed && ros2::isByteLike(f.type);
    v.str = d_.substr(pos_, static_cast<size_t>(count) * sz);
    pos_ += static_cast<size_t>(count) * sz;
    return true;
  }

  bool structAt(int defIndex, Value& v, int depth) {
    if (depth > kMaxDepth) return fail("message nesting deeper than " + std::to_string(kMaxDepth));
    const ros2::MsgDef& def = s_.defs[static_cast<size_t>(defIndex)];
    v.kind = VKind::Object;
    if (def.fields.empty()) {
      // ROS 2 serializes an empty message as one uint8 (structure_needs_at_least_one_member).
      if (!need(1)) return false;
      pos_ += 1;
      v.first = 0;
      v.count = 0;
      return true;
    }
    uint32_t n = static_cast<uint32_t>(def.fields.size());
    if (t_.nodes.size() + n > kMaxNodes) return fail("message expands to more than 16M values");
    uint32_t slot = t_.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
      Value c;
      if (!field(def.fields[i], c, depth)) return false;
      c.key = def.fields[i].name;
      t_.nodes[slot + i] = c;
    }
    v.first = slot;
    v.count = n;
    return true;
  }

  // A part of the message that becomes one JSON cell: decoded into the
  // scratch tree by the same code decode() uses.
  bool jsonCell(const ros2::Field& f, uint32_t col, int depth, bool asArray) {
    t_.clear();
    Value v;
    if (!(asArray ? field(f, v, depth) : scalarField(f, v, depth))) return false;
    st_->cell(col);
    json_.clear();
    appendJson(json_, t_, v);
    st_->field(json_);
    return true;
  }

  // A primitive array laid out as `c`: its length cell and its indexed cells.
  bool arrayCells(const ros2::Field& f, const LayoutNode& c) {
    uint32_t n = f.length;
    if (!f.fixed && !u32(n)) return false;
    Prim p = primOf(f.type);
    size_t sz = primSize(p);
    if (n > 0 && !align(sz == 8 ? align8_ : sz)) return false;
    if (!need(static_cast<uint64_t>(n) * sz)) return false;
    uint32_t col = c.col;
    if (c.kind == LayoutNode::Kind::Blob || c.lenCol) {
      st_->cell(col++);
      st_->integer(n);
    }
    if (c.kind == LayoutNode::Kind::NumArray) {
      uint32_t k = static_cast<uint32_t>(c.expand > 0 ? c.expand : 0);
      size_t at = pos_;
      if (p == Prim::Float64) {  // covariance matrices: their text, without a Value per cell
        float64Cells(c, col, k < n ? k : n);
      } else {
        for (uint32_t e = 0; e < k && e < n; ++e) {
          st_->cell(col + e);
          appendScalar(st_->row(), ValueTree::fromRaw(p, raw(sz)));
        }
      }
      pos_ = at;
    }
    pos_ += static_cast<size_t>(n) * sz;
    return true;
  }

  // Writes `m` float64 cells from the wire at pos_ in columns col.. (pos_
  // moves as far as it reads; arrayCells puts it back). Covariance matrices rarely change from one message to the next
  // (most drivers publish configured constants), so the text of each array is
  // kept per layout node and reused while the array's bytes are the same: one
  // compare and one copy instead of formatting m cells. The text depends only
  // on the bytes, their byte order and m, which the reuse checks; the node
  // only picks the slot.
  void float64Cells(const LayoutNode& node, uint32_t col, uint32_t m) {
    if (m == 0) return;
    const size_t bytes = size_t{m} * 8;
    if (m > Float64ArrayText::kMaxElems) {
      for (uint32_t e = 0; e < m; ++e) stagedFloat(col + e, f64(), false);
      return;
    }
    Float64ArrayText& slot = tFloat64Arrays[(reinterpret_cast<uintptr_t>(&node) >> 4) % kFloat64ArraySlots];
    const char* wire = d_.data() + pos_;
    if (!(slot.elems == m && slot.bigEndian == big_ && std::memcmp(slot.wire, wire, bytes) == 0)) {
      char* p = slot.text;
      for (uint32_t e = 0; e < m; ++e) {
        if (e > 0) *p++ = ',';
        p = writeFloatCell(p, f64(), false);
      }
      slot.textLen = static_cast<size_t>(p - slot.text);
      std::memcpy(slot.wire, wire, bytes);
      slot.elems = m;
      slot.bigEndian = big_;
    }
    st_->cells(col, m, std::string_view(slot.text, slot.textLen));
  }
  // The float64 at pos_ (aligned and in bounds: the caller checked), read.
  double f64() {
    uint64_t r = raw(8);
    double d;
    std::memcpy(&d, &r, 8);
    return d;
  }

  void stagedFloat(uint32_t col, double d, bool f32) {
    st_->cell(col);
    st_->used(writeFloatCell(st_->room(kMaxFloatText), d, f32));
  }
  template <typename T>
  void stagedInt(uint32_t col, T x) {
    st_->cell(col);
    st_->integer(x);
  }

  bool planCells(const CdrRowPlan& plan) {
    using K = CdrRowPlan::Kind;
    for (const CdrRowPlan::Step& st : plan.steps) {
      switch (st.kind) {
        case K::F64: {
          if (!align(align8_) || !need(8)) return false;
          stagedFloat(st.col, f64(), false);
          break;
        }
        case K::F32: {
          if (!align(4) || !need(4)) return false;
          uint32_t r = static_cast<uint32_t>(raw(4));
          float f;
          std::memcpy(&f, &r, 4);
          stagedFloat(st.col, f, true);
          break;
        }
        case K::I8: if (!stagedSigned<int8_t>(st.col)) return false; break;
        case K::I16: if (!stagedSigned<int16_t>(st.col)) return false; break;
        case K::I32: if (!stagedSigned<int32_t>(st.col)) return false; break;
        case K::I64: if (!stagedSigned<int64_t>(st.col)) return false; break;
        case K::U8: if (!stagedUnsigned(1, st.col)) return false; break;
        case K::U16: if (!stagedUnsigned(2, st.col)) return false; break;
        case K::U32: if (!stagedUnsigned(4, st.col)) return false; break;
        case K::U64: if (!stagedUnsigned(8, st.col)) return false; break;
        case K::Bool: {
          if (!need(1)) return false;
          bool b = raw(1) != 0;
          st_->cell(st.col);
          st_->put(b ? "true" : "false");
          break;
        }
        case K::String: {
          Value v;
          if (!string(v)) return false;
          st_->cell(st.col);
          st_->field(v.str);
          break;
        }
        case K::OtherScalar: {
          Value v;
          if (!scalarField(*st.field, v, st.depth)) return false;
          st_->cell(st.col);
          if (v.kind == VKind::String) st_->field(v.str);
          else appendScalar(st_->row(), v);
          break;
        }
        case K::Array:
          if (!arrayCells(*st.field, *st.node)) return false;
          break;
        case K::Json:
          if (!jsonCell(*st.field, st.col, st.depth, st.field->isArray)) return false;
          break;
        case K::Empty:
          if (!need(1)) return false;
          pos_ += 1;
          break;
      }
    }
    return true;
  }

  template <typename T>
  bool stagedSigned(uint32_t col) {
    if (!align(sizeof(T) == 8 ? align8_ : sizeof(T)) || !need(sizeof(T))) return false;
    stagedInt<int64_t>(col, static_cast<T>(raw(sizeof(T))));
    return true;
  }
  bool stagedUnsigned(size_t sz, uint32_t col) {
    if (!align(sz == 8 ? align8_ : sz) || !need(sz)) return false;
    stagedInt<uint64_t>(col, raw(sz));
    return true;
  }
  const ros2::Schema& s_;
  std::string_view d_;
  ValueTree& t_;
  CellStage* st_ = nullptr;  // row(): where the cells go
  std::string json_;
  size_t pos_ = 0;
  bool big_ = false;
  size_t align8_ = 8;
  Status err_;
};

LayoutNode layoutOf(const ros2::Schema& s, int defIndex, std::string name, int depth) {
  LayoutNode n = LayoutNode::structOf(std::move(name));
  if (depth > 16) return LayoutNode::jsonCol(n.name);
  for (const auto& f : s.defs[static_cast<size_t>(defIndex)].fields) {
    if (!f.isArray) {
      if (f.type == ros2::Type::Complex) n.children.push_back(layoutOf(s, f.complex, f.name, depth + 1));
      else n.children.push_back(LayoutNode::scalar(f.name));
    } else if (f.type == ros2::Type::Complex || f.type == ros2::Type::String || f.type == ros2::Type::WString) {
      n.children.push_back(LayoutNode::jsonCol(f.name));
    } else if (!f.fixed && ros2::isByteLike(f.type)) {
      n.children.push_back(LayoutNode::blob(f.name));
    } else {
      n.children.push_back(LayoutNode::numArray(f.name, f.fixed, f.length));
    }
  }
  return n;
}

}  // namespace

Status CdrDecoder::decode(std::string_view data, ValueTree& tree, uint32_t& root) const {
  tree.clear();
  Reader r(schema_, data, tree);
  return r.run(root);
}

LayoutNode CdrDecoder::layout() const { return layoutOf(schema_, 0, "", 0); }

std::shared_ptr<const CdrRowPlan> CdrDecoder::compile(const LayoutNode& root) const {
  auto plan = std::make_shared<CdrRowPlan>();
  if (!planStruct(schema_, 0, root, 0, *plan)) return nullptr;
  return plan;
}

Status CdrDecoder::writeRow(std::string_view data, const CdrRowPlan& plan, uint32_t columns, CellStage& row,
                           ValueTree& scratch) const {
  Reader r(schema_, data, scratch);
  return r.row(plan, columns, row);
}

}  // namespace argus
