#include "layout.h"

#include "csv-writer.h"

namespace argus {
namespace {

const Value* member(const ValueTree& t, const Value& obj, const std::string& name, size_t hint) {
  if (obj.kind != VKind::Object) return nullptr;
  if (hint < obj.count && t.nodes[obj.first + hint].key == name) return &t.nodes[obj.first + hint];
  for (uint32_t i = 0; i < obj.count; ++i) {
    if (t.nodes[obj.first + i].key == name) return &t.nodes[obj.first + i];
  }
  return nullptr;
}

bool isScalarKind(VKind k) {
  return k == VKind::Bool || k == VKind::Int || k == VKind::UInt || k == VKind::Float32 ||
         k == VKind::Float64 || k == VKind::Null;
}

bool isNumericArray(const ValueTree& t, const Value& v) {
  if (v.kind == VKind::PrimArray) return true;
  if (v.kind != VKind::Array) return false;
  for (uint32_t i = 0; i < v.count; ++i) {
    VKind k = t.nodes[v.first + i].kind;
    if (!isScalarKind(k) || k == VKind::Null) return false;
  }
  return true;
}

LayoutNode inferNode(const ValueTree& t, const Value& v, std::string name, int depth) {
  if (v.kind == VKind::Object && depth < 32) {
    LayoutNode n = LayoutNode::structOf(std::move(name));
    for (uint32_t i = 0; i < v.count; ++i) {
      const Value& c = t.nodes[v.first + i];
      n.children.push_back(inferNode(t, c, std::string(c.key), depth + 1));
    }
    return n;
  }
  if (v.kind == VKind::Array || v.kind == VKind::PrimArray) {
    if (v.kind == VKind::PrimArray && v.blob) return LayoutNode::blob(std::move(name));
    if (isNumericArray(t, v)) return LayoutNode::numArray(std::move(name), false, 0);
    return LayoutNode::jsonCol(std::move(name));
  }
  if (v.kind == VKind::Object) return LayoutNode::jsonCol(std::move(name));
  return LayoutNode::scalar(std::move(name));
}

uint32_t arrayCount(const Value& v) {
  return (v.kind == VKind::Array || v.kind == VKind::PrimArray) ? v.count : 0;
}

void appendUInt(std::string& s, uint64_t x) {
  Value v;
  v.kind = VKind::UInt;
  v.n.u = x;
  appendScalar(s, v);
}

}  // namespace

Layout Layout::infer(const ValueTree& t, const Value& v, uint32_t arrayLimit) {
  Layout l;
  l.limit_ = arrayLimit;
  if (v.kind == VKind::Object) {
    l.root_ = inferNode(t, v, "", 0);
  } else {
    l.rootIsValue_ = true;
    l.root_ = LayoutNode::structOf("");
    l.root_.children.push_back(inferNode(t, v, "value", 1));
  }
  return l;
}

void Layout::resolve(const ValueTree& t, const Value& v) {
  if (rootIsValue_) resolveNode(root_.children[0], t, &v);
  else resolveNode(root_, t, &v);
  columns_.clear();
  assign(root_, "");
  resolved_ = true;
}

void Layout::resolveNode(LayoutNode& n, const ValueTree& t, const Value* v) {
  switch (n.kind) {
    case LayoutNode::Kind::Struct:
      for (size_t i = 0; i < n.children.size(); ++i) {
        const Value* c = v ? member(t, *v, n.children[i].name, i) : nullptr;
        resolveNode(n.children[i], t, c);
      }
      break;
    case LayoutNode::Kind::NumArray:
      if (n.expand >= 0) break;
      if (n.fixed) {
        n.lenCol = n.length > limit_;
        n.expand = n.length > limit_ ? 0 : static_cast<int32_t>(n.length);
      } else {
        n.lenCol = true;
        if (n.length > 0 && n.length <= limit_) {
          n.expand = static_cast<int32_t>(n.length);
        } else {
          uint32_t c = v ? arrayCount(*v) : 0;
          n.expand = c <= limit_ ? static_cast<int32_t>(c) : 0;
        }
      }
      break;
    case LayoutNode::Kind::Blob:
      n.lenCol = true;
      break;
    default:
      break;
  }
}

void Layout::assign(LayoutNode& n, const std::string& prefix) {
  std::string full = prefix.empty() ? n.name : (n.name.empty() ? prefix : prefix + "." + n.name);
  n.col = static_cast<uint32_t>(columns_.size());
  switch (n.kind) {
    case LayoutNode::Kind::Struct:
      for (auto& c : n.children) assign(c, full);
      break;
    case LayoutNode::Kind::NumArray:
      if (n.lenCol) columns_.push_back(full + ".len");
      for (int32_t i = 0; i < n.expand; ++i) columns_.push_back(full + "." + std::to_string(i));
      break;
    case LayoutNode::Kind::Blob:
      columns_.push_back(full + ".len");
      break;
    default:
      columns_.push_back(full.empty() ? "value" : full);
      break;
  }
}

// Writes cells in increasing column order, filling skipped columns with
// empty cells.
struct Layout::RowCursor {
  std::string& out;
  uint32_t next = 0;
  std::string scratch;
  void at(uint32_t col) {
    if (col == next) out.push_back(',');
    else out.append(col - next + 1, ',');
    next = col + 1;
  }
};

void Layout::flatten(const ValueTree& t, const Value& v, std::string& row) const {
  RowCursor cur{row, 0, {}};
  if (rootIsValue_) flattenNode(root_.children[0], t, v, cur);
  else flattenNode(root_, t, v, cur);
  uint32_t n = static_cast<uint32_t>(columns_.size());
  if (cur.next < n) row.append(n - cur.next, ',');
}

void Layout::flattenNode(const LayoutNode& n, const ValueTree& t, const Value& v, RowCursor& row) const {
  switch (n.kind) {
    case LayoutNode::Kind::Struct:
      if (v.kind != VKind::Object) return;
      for (size_t i = 0; i < n.children.size(); ++i) {
        const Value* c = member(t, v, n.children[i].name, i);
        if (c) flattenNode(n.children[i], t, *c, row);
      }
      return;
    case LayoutNode::Kind::Scalar:
    case LayoutNode::Kind::JsonCol:
      if (v.kind == VKind::Null) return;
      row.at(n.col);
      if (v.kind == VKind::String) {
        appendCsvField(row.out, v.str);
      } else if (isScalarKind(v.kind)) {
        appendScalar(row.out, v);  // numbers and booleans never need quoting
      } else {
        row.scratch.clear();
        appendJson(row.scratch, t, v);
        appendCsvField(row.out, row.scratch);
      }
      return;
    case LayoutNode::Kind::Blob:
      if (v.kind == VKind::Array || v.kind == VKind::PrimArray) { row.at(n.col); appendUInt(row.out, v.count); }
      else if (v.kind == VKind::String) { row.at(n.col); appendUInt(row.out, v.str.size()); }
      return;
    case LayoutNode::Kind::NumArray: {
      if (v.kind != VKind::Array && v.kind != VKind::PrimArray) return;
      uint32_t c = n.col;
      if (n.lenCol) { row.at(c++); appendUInt(row.out, v.count); }
      uint32_t k = static_cast<uint32_t>(n.expand > 0 ? n.expand : 0);
      for (uint32_t i = 0; i < k && i < v.count; ++i) {
        row.at(c + i);
        if (v.kind == VKind::PrimArray) {
          appendScalar(row.out, ValueTree::primAt(v, i));
        } else {
          const Value& e = t.nodes[v.first + i];
          if (e.kind == VKind::String) {
            appendCsvField(row.out, e.str);
          } else if (isScalarKind(e.kind)) {
            appendScalar(row.out, e);
          } else {
            row.scratch.clear();
            appendJson(row.scratch, t, e);
            appendCsvField(row.out, row.scratch);
          }
        }
      }
      return;
    }
  }
}

}  // namespace argus
