// MessageDecoder: one per channel; turns message bytes into a ValueTree and
// knows the row layout of its schema. Supported (message / schema encoding):
//   json     / jsonschema or none
//   cdr      / ros2msg
//   protobuf / protobuf (FileDescriptorSet)
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cell-stage.h"
#include "layout.h"
#include "status.h"
#include "value.h"

namespace argus {

class MessageDecoder {
 public:
  virtual ~MessageDecoder() = default;
  virtual Status decode(std::string_view data, ValueTree& tree, uint32_t& root) const = 0;
  // The layout from the schema; schemaless decoders infer it from the first message.
  virtual Layout layout(const ValueTree& firstTree, const Value& first, uint32_t arrayLimit) const = 0;
  // Decoders that can write a row's cells straight from the bytes (no value
  // tree) do so here: ",cell" per column of the resolved `layout`, exactly
  // what flatten() of the decoded tree writes, and return true with `status`
  // set. `scratch` is for parts that still need a tree. On a decode error the
  // row holds partial cells; the caller cuts it. Others (and a decoder that
  // declines this message) return false, having written nothing.
  virtual bool writeRow(std::string_view data, const Layout& layout, CellStage& row, ValueTree& scratch,
                        Status& status) const {
    (void)data; (void)layout; (void)row; (void)scratch; (void)status;
    return false;
  }
};

// Returns nullptr and sets `status` when the encoding pair is unsupported or
// the schema does not parse.
std::unique_ptr<MessageDecoder> createDecoder(std::string_view messageEncoding, std::string_view schemaName,
                                              std::string_view schemaEncoding, std::string_view schemaData,
                                              Status& status);

}  // namespace argus
