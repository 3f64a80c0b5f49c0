// Protobuf decoding (message encoding "protobuf", schema encoding
// "protobuf"): the schema is a serialized google.protobuf.FileDescriptorSet,
// itself decoded here with the same wire reader. Fields come out in
// descriptor order; enums as numbers; proto3 scalars without presence get
// their default (0, false, ""), absent messages/oneof members stay empty.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "layout.h"
#include "status.h"
#include "value.h"

namespace argus::pb {

struct FieldDesc {
  std::string name;
  uint32_t number = 0;
  int label = 1;     // 1 optional, 2 required, 3 repeated
  int type = 0;      // FieldDescriptorProto.Type
  std::string typeName;
  int message = -1;  // index of the message type (type 11)
  bool hasPresence = false;
};

struct MessageDesc {
  std::string fullName;  // ".pkg.Outer.Inner"
  std::vector<FieldDesc> fields;
  std::vector<std::pair<uint32_t, int>> byNumber;  // sorted (number, field index)
  bool proto3 = false;
};

class ProtobufDecoder {
 public:
  // Parses the descriptor set and selects `rootName` ("pkg.Msg").
  static Status create(std::string_view descriptorSet, std::string_view rootName, ProtobufDecoder& out);

  Status decode(std::string_view data, ValueTree& tree, uint32_t& root) const;
  LayoutNode layout() const;

 private:
  std::vector<MessageDesc> messages_;
  int root_ = -1;
};

}  // namespace argus::pb
