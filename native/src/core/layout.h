// Layout: how a decoded message becomes one flat CSV row.
//  - nested structs  -> dotted column names (header.stamp.sec)
//  - numeric arrays  -> fixed T[N], N <= limit: name.0 .. name.N-1
//                       fixed T[N], N >  limit: name.len
//                       variable: name.len plus name.0 .. name.K-1, where K is the
//                       bound (T[<=N], N <= limit) or, unbounded, the length in the
//                       first message when <= limit (else 0)
//  - variable byte arrays (blobs) -> name.len only, never dumped
//  - arrays of strings or structs -> one column with a compact JSON array
// The layout is built from the schema; parts that depend on data (unbounded
// array widths, schemaless JSON) are fixed by the first decoded message, so
// every row of a topic has the same columns.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "value.h"

namespace argus {

struct LayoutNode {
  enum class Kind : uint8_t { Scalar, Struct, NumArray, Blob, JsonCol };
  Kind kind = Kind::Scalar;
  std::string name;
  std::vector<LayoutNode> children;  // Struct members in schema order
  bool fixed = false;                // NumArray: length fixed by the schema
  uint32_t length = 0;               // NumArray: fixed length, or bound (0 = unbounded)
  int32_t expand = -1;               // NumArray: indexed columns, -1 until resolved
  bool lenCol = false;               // NumArray/Blob: has a name.len column
  uint32_t col = 0;                  // first column of this node

  static LayoutNode scalar(std::string n) { LayoutNode x; x.name = std::move(n); return x; }
  static LayoutNode jsonCol(std::string n) { LayoutNode x; x.kind = Kind::JsonCol; x.name = std::move(n); return x; }
  static LayoutNode blob(std::string n) { LayoutNode x; x.kind = Kind::Blob; x.name = std::move(n); return x; }
  static LayoutNode numArray(std::string n, bool fixed, uint32_t length) {
    LayoutNode x;
    x.kind = Kind::NumArray;
    x.name = std::move(n);
    x.fixed = fixed;
    x.length = length;
    return x;
  }
  static LayoutNode structOf(std::string n) { LayoutNode x; x.kind = Kind::Struct; x.name = std::move(n); return x; }
};

class Layout {
 public:
  Layout() { root_.kind = LayoutNode::Kind::Struct; }
  Layout(LayoutNode root, uint32_t arrayLimit) : root_(std::move(root)), limit_(arrayLimit) {}

  // A layout inferred from a schemaless value (first JSON message).
  static Layout infer(const ValueTree& t, const Value& v, uint32_t arrayLimit);

  bool resolved() const { return resolved_; }
  // Fixes data-dependent widths from `v` and assigns column names.
  void resolve(const ValueTree& t, const Value& v);
  const std::vector<std::string>& columns() const { return columns_; }
  // The resolved tree (decoders that write rows themselves walk it).
  const LayoutNode& root() const { return root_; }
  bool rootIsValue() const { return rootIsValue_; }
  // Appends ",cell" for every column to a CSV row (cells RFC 4180 quoted;
  // empty when the value is absent). Columns are visited in order, so the
  // row is written in one pass without per-cell buffers.
  void flatten(const ValueTree& t, const Value& v, std::string& row) const;

 private:
  void resolveNode(LayoutNode& n, const ValueTree& t, const Value* v);
  void assign(LayoutNode& n, const std::string& prefix);
  struct RowCursor;
  void flattenNode(const LayoutNode& n, const ValueTree& t, const Value& v, RowCursor& row) const;

  LayoutNode root_;
  uint32_t limit_ = 16;
  bool resolved_ = false;
  bool rootIsValue_ = false;  // schemaless non-object message: one "value" column
  std::vector<std::string> columns_;
};

}  // namespace argus
