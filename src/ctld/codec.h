// ByteWriter / ByteReader: the little binary encoding of log records and snapshots:
// unsigned LEB128 varints, zig-zag signed varints, length-prefixed strings. Readers fail
// (kIo "corrupt record") instead of reading past the end.
//
// Thread-safety: value types, one owner.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace drover::ctld {

class ByteWriter {
 public:
  void U(uint64_t v);
  void S(int64_t v) { U((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void B(bool v) { U(v ? 1 : 0); }
  void Str(std::string_view s);
  std::string& out() { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  uint64_t U();
  int64_t S() {
    uint64_t v = U();
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  bool B() { return U() != 0; }
  std::string Str();
  bool ok() const { return ok_; }
  bool done() const { return pos_ == in_.size(); }
  // kIo naming `what` when anything read so far was malformed.
  Status Check(std::string_view what) const;

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace drover::ctld
