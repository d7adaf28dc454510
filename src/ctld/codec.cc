#include "ctld/codec.h"

namespace drover::ctld {

void ByteWriter::U(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void ByteWriter::Str(std::string_view s) {
  U(s.size());
  out_.append(s);
}

uint64_t ByteReader::U() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= in_.size()) {
      ok_ = false;
      return 0;
    }
    auto byte = static_cast<uint8_t>(in_[pos_++]);
    v |= uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80)) return v;
  }
  ok_ = false;
  return 0;
}

std::string ByteReader::Str() {
  uint64_t n = U();
  if (!ok_ || n > in_.size() - pos_) {
    ok_ = false;
    return {};
  }
  std::string s(in_.substr(pos_, n));
  pos_ += n;
  return s;
}

Status ByteReader::Check(std::string_view what) const {
  if (ok_) return Ok();
  return Error(ErrorCode::kIo, "corrupt " + std::string(what));
}

}  // namespace drover::ctld
