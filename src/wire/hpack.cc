#include "wire/hpack.h"

#include <array>

namespace drover::wire {
namespace {

// RFC 7541 Appendix A.
constexpr std::array<std::pair<std::string_view, std::string_view>, 61> kStaticTable = {{
    {":authority", ""},
    {":method", "GET"},
    {":method", "POST"},
    {":path", "/"},
    {":path", "/index.html"},
    {":scheme", "http"},
    {":scheme", "https"},
    {":status", "200"},
    {":status", "204"},
    {":status", "206"},
    {":status", "304"},
    {":status", "400"},
    {":status", "404"},
    {":status", "500"},
    {"accept-charset", ""},
    {"accept-encoding", "gzip, deflate"},
    {"accept-language", ""},
    {"accept-ranges", ""},
    {"accept", ""},
    {"access-control-allow-origin", ""},
    {"age", ""},
    {"allow", ""},
    {"authorization", ""},
    {"cache-control", ""},
    {"content-disposition", ""},
    {"content-encoding", ""},
    {"content-language", ""},
    {"content-length", ""},
    {"content-location", ""},
    {"content-range", ""},
    {"content-type", ""},
    {"cookie", ""},
    {"date", ""},
    {"etag", ""},
    {"expect", ""},
    {"expires", ""},
    {"from", ""},
    {"host", ""},
    {"if-match", ""},
    {"if-modified-since", ""},
    {"if-none-match", ""},
    {"if-range", ""},
    {"if-unmodified-since", ""},
    {"last-modified", ""},
    {"link", ""},
    {"location", ""},
    {"max-forwards", ""},
    {"proxy-authenticate", ""},
    {"proxy-authorization", ""},
    {"range", ""},
    {"referer", ""},
    {"refresh", ""},
    {"retry-after", ""},
    {"server", ""},
    {"set-cookie", ""},
    {"strict-transport-security", ""},
    {"transfer-encoding", ""},
    {"user-agent", ""},
    {"vary", ""},
    {"via", ""},
    {"www-authenticate", ""},
}};

// RFC 7541 Appendix B gives a canonical Huffman code, so each symbol's code length
// (symbols 0..255, then 256 = EOS) determines every code.
constexpr std::array<uint8_t, 257> kCodeLength = {
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28,
    30, 28, 28, 28, 28, 28, 28, 28, 28, 28, 6,  10, 10, 12, 13, 6,  8,  11, 10, 10, 8,  11,
    8,  6,  6,  6,  5,  5,  5,  6,  6,  6,  6,  6,  6,  6,  7,  8,  15, 6,  12, 10, 13, 6,
    7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
    8,  7,  8,  13, 19, 13, 14, 6,  15, 5,  6,  5,  6,  5,  6,  6,  6,  5,  7,  7,  6,  6,
    6,  5,  6,  7,  6,  5,  5,  6,  7,  7,  7,  7,  7,  15, 11, 14, 13, 28, 20, 22, 20, 20,
    22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21,
    22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
    21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26, 26, 20, 19, 22, 23,
    22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26,
    28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27,
    26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30};

constexpr int kEos = 256;
constexpr int kMaxCodeLength = 30;

// The canonical code: per length, the first code and the symbols of that length in
// symbol order (RFC 7541's codes are assigned exactly so).
struct HuffmanCode {
  std::array<uint32_t, 257> code{};
  std::array<uint32_t, kMaxCodeLength + 2> first{};  // first code of each length
  std::array<uint16_t, kMaxCodeLength + 2> offset{};  // index in `sorted` of that code
  std::array<uint16_t, kMaxCodeLength + 2> count{};
  std::array<uint16_t, 257> sorted{};                 // symbols by (length, symbol)
};

HuffmanCode BuildCode() {
  HuffmanCode h;
  for (int s = 0; s < 257; ++s) ++h.count[kCodeLength[s]];
  uint16_t at = 0;
  for (int len = 1; len <= kMaxCodeLength; ++len) {
    h.offset[len] = at;
    for (int s = 0; s < 257; ++s) {
      if (kCodeLength[s] == len) h.sorted[at++] = static_cast<uint16_t>(s);
    }
  }
  uint32_t code = 0;
  for (int len = 1; len <= kMaxCodeLength; ++len) {
    h.first[len] = code;
    for (int i = 0; i < h.count[len]; ++i) h.code[h.sorted[h.offset[len] + i]] = code++;
    code <<= 1;
  }
  return h;
}

const HuffmanCode& Code() {
  static const HuffmanCode code = BuildCode();
  return code;
}

Error Malformed(std::string_view what) {
  return Error(ErrorCode::kProtocol, "HPACK: " + std::string(what));
}

// A string literal (RFC 7541 5.2) at in[pos]; advances pos.
Result<std::string> DecodeString(std::string_view in, size_t& pos) {
  if (pos >= in.size()) return Malformed("truncated string");
  bool huffman = (static_cast<uint8_t>(in[pos]) & 0x80) != 0;
  ASSIGN_OR_RETURN(uint64_t length, DecodeInteger(in, pos, 7));
  if (length > in.size() - pos) return Malformed("string longer than its block");
  std::string_view bytes = in.substr(pos, length);
  pos += length;
  if (huffman) return HuffmanDecode(bytes);
  return std::string(bytes);
}

}  // namespace

void EncodeInteger(uint64_t value, int prefix_bits, uint8_t first, std::string& out) {
  const uint64_t max_prefix = (1u << prefix_bits) - 1;
  if (value < max_prefix) {
    out.push_back(static_cast<char>(first | value));
    return;
  }
  out.push_back(static_cast<char>(first | max_prefix));
  value -= max_prefix;
  while (value >= 128) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

Result<uint64_t> DecodeInteger(std::string_view in, size_t& pos, int prefix_bits) {
  if (pos >= in.size()) return Malformed("truncated integer");
  const uint64_t max_prefix = (1u << prefix_bits) - 1;
  uint64_t value = static_cast<uint8_t>(in[pos++]) & max_prefix;
  if (value < max_prefix) return value;
  for (int shift = 0;; shift += 7) {
    if (pos >= in.size()) return Malformed("truncated integer");
    // Beyond 2^35 no header block of ours can be meant; refuse before overflowing.
    if (shift > 28) return Malformed("integer too large");
    uint8_t byte = static_cast<uint8_t>(in[pos++]);
    value += static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
}

Result<std::string> HuffmanDecode(std::string_view in) {
  const HuffmanCode& h = Code();
  std::string out;
  out.reserve(in.size() * 8 / 5);
  uint32_t code = 0;
  int len = 0;
  for (char c : in) {
    for (int bit = 7; bit >= 0; --bit) {
      code = (code << 1) | ((static_cast<uint8_t>(c) >> bit) & 1);
      ++len;
      // Canonical decoding: a code of this length is one of `count` consecutive values.
      if (h.count[len] != 0 && code >= h.first[len] && code - h.first[len] < h.count[len]) {
        int symbol = h.sorted[h.offset[len] + (code - h.first[len])];
        if (symbol == kEos) return Malformed("EOS inside a Huffman string");
        out.push_back(static_cast<char>(symbol));
        code = 0;
        len = 0;
      } else if (len >= kMaxCodeLength) {
        return Malformed("invalid Huffman code");
      }
    }
  }
  // Padding: fewer than 8 bits, all ones (the EOS code's prefix).
  if (len > 7 || code != (1u << len) - 1) return Malformed("invalid Huffman padding");
  return out;
}

std::string HuffmanEncode(std::string_view in) {
  const HuffmanCode& h = Code();
  std::string out;
  uint64_t bits = 0;
  int count = 0;
  for (char c : in) {
    uint8_t symbol = static_cast<uint8_t>(c);
    bits = (bits << kCodeLength[symbol]) | h.code[symbol];
    count += kCodeLength[symbol];
    while (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>(bits >> count));
    }
  }
  if (count > 0) out.push_back(static_cast<char>((bits << (8 - count)) | (0xff >> count)));
  return out;
}

void EncodeLiteral(std::string_view name, std::string_view value, std::string& out) {
  size_t name_index = 0;
  for (size_t i = 0; i < kStaticTable.size(); ++i) {
    if (kStaticTable[i].first == name) {
      name_index = i + 1;
      break;
    }
  }
  // 0000xxxx: literal without indexing, name indexed (4-bit prefix) or new (index 0).
  EncodeInteger(name_index, 4, 0x00, out);
  if (name_index == 0) {
    EncodeInteger(name.size(), 7, 0x00, out);
    out.append(name);
  }
  EncodeInteger(value.size(), 7, 0x00, out);
  out.append(value);
}

Result<Header> HpackDecoder::Lookup(uint64_t index) const {
  if (index == 0) return Malformed("index 0");
  if (index <= kStaticTable.size()) {
    const auto& [name, value] = kStaticTable[index - 1];
    return Header{std::string(name), std::string(value)};
  }
  uint64_t dynamic = index - kStaticTable.size() - 1;
  if (dynamic >= table_.size()) return Malformed("index beyond the dynamic table");
  return table_[dynamic];
}

void HpackDecoder::Evict() {
  while (size_ > limit_ && !table_.empty()) {
    size_ -= table_.back().name.size() + table_.back().value.size() + 32;
    table_.pop_back();
  }
}

void HpackDecoder::Insert(Header header) {
  size_t entry = header.name.size() + header.value.size() + 32;
  if (entry > limit_) {  // RFC 7541 4.4: an entry larger than the table empties it
    table_.clear();
    size_ = 0;
    return;
  }
  size_ += entry;
  table_.push_front(std::move(header));
  Evict();
}

Status HpackDecoder::Decode(std::string_view block, std::vector<Header>& out) {
  size_t pos = 0;
  bool fields_seen = false;
  while (pos < block.size()) {
    uint8_t first = static_cast<uint8_t>(block[pos]);
    if (first & 0x80) {  // 1xxxxxxx indexed field
      ASSIGN_OR_RETURN(uint64_t index, DecodeInteger(block, pos, 7));
      ASSIGN_OR_RETURN(Header header, Lookup(index));
      out.push_back(std::move(header));
      fields_seen = true;
      continue;
    }
    if ((first & 0xe0) == 0x20) {  // 001xxxxx dynamic table size update
      if (fields_seen) return Malformed("table size update after a field");
      ASSIGN_OR_RETURN(uint64_t size, DecodeInteger(block, pos, 5));
      if (size > max_size_) return Malformed("table size above the announced limit");
      limit_ = size;
      Evict();
      continue;
    }
    // Literals: 01xxxxxx (incremental indexing, 6-bit index), 0000xxxx (without
    // indexing) and 0001xxxx (never indexed), both with a 4-bit index.
    bool index_it = (first & 0xc0) == 0x40;
    int prefix = index_it ? 6 : 4;
    ASSIGN_OR_RETURN(uint64_t name_index, DecodeInteger(block, pos, prefix));
    Header header;
    if (name_index != 0) {
      ASSIGN_OR_RETURN(Header named, Lookup(name_index));
      header.name = std::move(named.name);
    } else {
      ASSIGN_OR_RETURN(header.name, DecodeString(block, pos));
    }
    ASSIGN_OR_RETURN(header.value, DecodeString(block, pos));
    if (index_it) Insert(header);
    out.push_back(std::move(header));
    fields_seen = true;
  }
  return Ok();
}

}  // namespace drover::wire
