// HPACK against the examples of RFC 7541 Appendix C, and round trips.
#include "wire/hpack.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace drover::wire {
namespace {

std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    while (hex[i] == ' ') ++i;
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

TEST(HpackInteger, Rfc7541Examples) {
  std::string out;
  EncodeInteger(10, 5, 0, out);
  EXPECT_EQ(out, Hex("0a"));
  out.clear();
  EncodeInteger(1337, 5, 0, out);
  EXPECT_EQ(out, Hex("1f9a0a"));
  out.clear();
  EncodeInteger(42, 8, 0, out);
  EXPECT_EQ(out, Hex("2a"));
  size_t pos = 0;
  std::string in = Hex("1f9a0a");
  auto v = DecodeInteger(in, pos, 5);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, 1337u);
  EXPECT_EQ(pos, 3u);
}

TEST(HpackInteger, TruncatedAndHugeAreErrors) {
  size_t pos = 0;
  EXPECT_FALSE(DecodeInteger(Hex("1f9a"), pos, 5));
  pos = 0;
  EXPECT_FALSE(DecodeInteger(Hex("1fffffffffffffff7f"), pos, 5));
}

TEST(Huffman, Rfc7541Examples) {
  EXPECT_EQ(HuffmanEncode("www.example.com"), Hex("f1e3c2e5f23a6ba0ab90f4ff"));
  EXPECT_EQ(HuffmanEncode("no-cache"), Hex("a8eb10649cbf"));
  auto decoded = HuffmanDecode(Hex("f1e3c2e5f23a6ba0ab90f4ff"));
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  EXPECT_EQ(*decoded, "www.example.com");
}

TEST(Huffman, BadPaddingIsAnError) {
  // "w" is 1111000 (7 bits); padding with zeros instead of ones is invalid.
  EXPECT_FALSE(HuffmanDecode(Hex("f0")));
  // A whole byte of padding (8 ones) is invalid too.
  EXPECT_FALSE(HuffmanDecode(Hex("f1e3c2e5f23a6ba0ab90f4ffff")));
}

RC_GTEST_PROP(Huffman, RoundTrips, (const std::string& s)) {
  auto decoded = HuffmanDecode(HuffmanEncode(s));
  RC_ASSERT(decoded.has_value());
  RC_ASSERT(*decoded == s);
}

// C.3: three requests on one connection, without Huffman coding; the dynamic table
// carries entries from one block to the next.
TEST(HpackDecoder, Rfc7541RequestSequence) {
  HpackDecoder d;
  std::vector<Header> h;
  ASSERT_TRUE(d.Decode(Hex("828684410f7777772e6578616d706c652e636f6d"), h));
  EXPECT_EQ(h, (std::vector<Header>{{":method", "GET"},
                                    {":scheme", "http"},
                                    {":path", "/"},
                                    {":authority", "www.example.com"}}));
  EXPECT_EQ(d.table_size(), 57u);
  h.clear();
  ASSERT_TRUE(d.Decode(Hex("828684be58086e6f2d6361636865"), h));
  EXPECT_EQ(h.back(), (Header{"cache-control", "no-cache"}));
  EXPECT_EQ(h[3], (Header{":authority", "www.example.com"}));
  EXPECT_EQ(d.table_size(), 110u);
  h.clear();
  ASSERT_TRUE(d.Decode(Hex("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565"), h));
  EXPECT_EQ(h, (std::vector<Header>{{":method", "GET"},
                                    {":scheme", "https"},
                                    {":path", "/index.html"},
                                    {":authority", "www.example.com"},
                                    {"custom-key", "custom-value"}}));
  EXPECT_EQ(d.table_size(), 164u);
  EXPECT_EQ(d.table_entries(), 3u);
}

// C.4.1: the first request again, Huffman-coded.
TEST(HpackDecoder, HuffmanCodedLiteral) {
  HpackDecoder d;
  std::vector<Header> h;
  ASSERT_TRUE(d.Decode(Hex("828684418cf1e3c2e5f23a6ba0ab90f4ff"), h));
  EXPECT_EQ(h.back(), (Header{":authority", "www.example.com"}));
}

TEST(HpackDecoder, TableSizeUpdateEvictsAndIsBounded) {
  HpackDecoder d(4096);
  std::vector<Header> h;
  ASSERT_TRUE(d.Decode(Hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572"), h));
  EXPECT_EQ(d.table_entries(), 1u);
  ASSERT_TRUE(d.Decode(Hex("20"), h));  // size 0: empties the table
  EXPECT_EQ(d.table_entries(), 0u);
  EXPECT_TRUE(d.Decode(Hex("3fe11f"), h));   // 4096: the limit itself
  EXPECT_FALSE(d.Decode(Hex("3fe21f"), h));  // 4096 + 1 > the limit we announced
}

TEST(HpackDecoder, BadIndexesAreErrors) {
  HpackDecoder d;
  std::vector<Header> h;
  EXPECT_FALSE(d.Decode(Hex("80"), h));  // index 0
  EXPECT_FALSE(d.Decode(Hex("be"), h));  // 62: the dynamic table is empty
  EXPECT_FALSE(d.Decode(Hex("0f"), h));  // truncated
  EXPECT_FALSE(d.Decode(Hex("400a6375"), h));  // string runs past the block
}

TEST(HpackEncoder, LiteralsDecodeBack) {
  std::string block;
  EncodeLiteral(":path", "/drover.v1.Controller/Ping", block);
  EncodeLiteral("x-drover-munge", std::string(300, 'M'), block);
  HpackDecoder d;
  std::vector<Header> h;
  ASSERT_TRUE(d.Decode(block, h));
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0], (Header{":path", "/drover.v1.Controller/Ping"}));
  EXPECT_EQ(h[1].value.size(), 300u);
  EXPECT_EQ(d.table_entries(), 0u);  // literals without indexing
}

}  // namespace
}  // namespace drover::wire
