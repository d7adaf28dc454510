// HPACK (RFC 7541): the header compression of HTTP/2, as far as a gRPC client needs it.
//
// The decoder keeps the dynamic table a connection's peer fills (one decoder per
// connection, fed every header block in order) and understands every representation
// the RFC defines, Huffman-coded strings included. The encoder writes only literals
// that are never added to the table and never Huffman-coded: a client sends a handful
// of short headers per call, and a stateless encoder cannot desynchronise.
//
// Bad input (truncated integers or strings, indexes outside the tables, bad Huffman
// padding, a table size above the limit we announced) is an Error (kProtocol, with the
// reason), never a crash.
//
// Thread-safety: an HpackDecoder belongs to one connection and one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace drover::wire {

struct Header {
  std::string name;
  std::string value;
  friend bool operator==(const Header&, const Header&) = default;
};

class HpackDecoder {
 public:
  // `max_table_size`: the SETTINGS_HEADER_TABLE_SIZE this side announced (4096 by default).
  explicit HpackDecoder(size_t max_table_size = 4096)
      : max_size_(max_table_size), limit_(max_table_size) {}
  HpackDecoder(const HpackDecoder&) = delete;
  HpackDecoder& operator=(const HpackDecoder&) = delete;

  // Decodes one complete header block (HEADERS plus its CONTINUATIONs) and appends the
  // fields in order. On error the decoder's table may be out of step with the peer's:
  // the connection must be closed.
  Status Decode(std::string_view block, std::vector<Header>& out);

  size_t table_size() const { return size_; }
  size_t table_entries() const { return table_.size(); }

 private:
  Result<Header> Lookup(uint64_t index) const;
  void Insert(Header header);
  void Evict();

  size_t max_size_;   // the limit we announced
  size_t limit_;      // the peer's current limit (<= max_size_)
  size_t size_ = 0;   // sum of entry sizes (name + value + 32)
  std::deque<Header> table_;  // newest first (index 62 is front)
};

// Appends `name: value` as a literal header field without indexing, with the name
// taken from the static table when it is there.
void EncodeLiteral(std::string_view name, std::string_view value, std::string& out);

// Huffman coding of RFC 7541 Appendix B.
Result<std::string> HuffmanDecode(std::string_view in);
std::string HuffmanEncode(std::string_view in);

// HPACK's prefixed integers (RFC 7541 5.1). `first` carries the representation's flag
// bits above the prefix.
void EncodeInteger(uint64_t value, int prefix_bits, uint8_t first, std::string& out);
// Reads an integer whose prefix is the low `prefix_bits` of in[pos]; advances pos.
Result<uint64_t> DecodeInteger(std::string_view in, size_t& pos, int prefix_bits);

}  // namespace drover::wire
