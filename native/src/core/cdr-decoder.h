// Decodes CDR-encoded ROS 2 messages (message encoding "cdr", schema
// encoding "ros2msg") into a ValueTree, following the rules of
// @foxglove/rosmsg2-serialization: 4-byte encapsulation header, alignment
// relative to the end of that header, uint32 sequence lengths, strings with
// a uint32 length that counts the terminating NUL.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "cell-stage.h"
#include "layout.h"
#include "ros2msg.h"
#include "status.h"
#include "value.h"

namespace argus {

// A row plan: the resolved layout of one topic flattened into the steps
// writeRow takes for each message (see CdrDecoder::compile).
struct CdrRowPlan;

class CdrDecoder {
 public:
  explicit CdrDecoder(ros2::Schema schema) : schema_(std::move(schema)) {}

  // Error offsets are byte offsets into `data`.
  Status decode(std::string_view data, ValueTree& tree, uint32_t& root) const;
  // The row layout of the root message.
  LayoutNode layout() const;
  // The resolved layout `root` as a flat list of steps, one per field in
  // wire order, so that a row is one loop instead of a walk of the schema and
  // the layout together; null when the layout nests deeper than the decoder
  // allows (decode() reports that). `root` must outlive the plan.
  std::shared_ptr<const CdrRowPlan> compile(const LayoutNode& root) const;
  // Writes ",cell" for each of `columns` columns of the plan's layout
  // straight from the CDR bytes: the same text and the same errors as
  // decode() followed by Layout::flatten(), without building the tree.
  Status writeRow(std::string_view data, const CdrRowPlan& plan, uint32_t columns, CellStage& row,
                  ValueTree& scratch) const;

 private:
  ros2::Schema schema_;
};

}  // namespace argus
