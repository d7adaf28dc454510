// ClientSession against scripted server frames: replies, errors in trailers, acks, flow
// control, and malformed input. (Interoperation with the real gRPC server is tested in
// src/client/wire_controller_client_test.cc.)
#include "wire/session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace drover::wire {
namespace {

// Server-side frame writers for the script.
std::string Frame(uint8_t type, uint8_t flags, uint32_t stream, std::string_view payload) {
  std::string f;
  f.push_back(static_cast<char>(payload.size() >> 16));
  f.push_back(static_cast<char>(payload.size() >> 8));
  f.push_back(static_cast<char>(payload.size()));
  f.push_back(static_cast<char>(type));
  f.push_back(static_cast<char>(flags));
  for (int shift : {24, 16, 8, 0}) f.push_back(static_cast<char>(stream >> shift));
  f.append(payload);
  return f;
}
std::string Headers(uint32_t stream, std::vector<Header> headers, bool end_stream) {
  std::string block;
  for (const Header& h : headers) EncodeLiteral(h.name, h.value, block);
  return Frame(1, 0x4 | (end_stream ? 1 : 0), stream, block);
}
std::string Data(uint32_t stream, std::string_view message, bool end_stream = false) {
  return Frame(0, end_stream ? 1 : 0, stream, ClientSession::FrameMessage(message));
}
std::string Settings(std::vector<std::pair<uint16_t, uint32_t>> values) {
  std::string p;
  for (auto [id, v] : values) {
    p.push_back(static_cast<char>(id >> 8));
    p.push_back(static_cast<char>(id));
    for (int shift : {24, 16, 8, 0}) p.push_back(static_cast<char>(v >> shift));
  }
  return Frame(4, 0, 0, p);
}
std::string WindowUpdate(uint32_t stream, uint32_t increment) {
  std::string p;
  for (int shift : {24, 16, 8, 0}) p.push_back(static_cast<char>(increment >> shift));
  return Frame(8, 0, stream, p);
}

struct Script {
  ClientSession session;
  std::vector<std::string> messages;
  std::string out;

  void Start(std::string_view request = "req") {
    session.AppendPreface(out);
    session.StartCall("/drover.v1.Controller/Ping", "127.0.0.1:1", {}, 1000,
                      [this](std::string_view m) -> Status {
                        messages.emplace_back(m);
                        return Ok();
                      },
                      out);
    session.AppendRequestData(ClientSession::FrameMessage(request), true, out);
  }
  Status Feed(std::string bytes) {
    std::string_view in = bytes;
    Status s = session.Receive(in, out);
    EXPECT_TRUE(in.empty() || !s);
    return s;
  }
};

TEST(ClientSession, PrefaceThenHeadersThenDataInOneWrite) {
  Script s;
  s.Start();
  EXPECT_TRUE(s.out.starts_with("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
  EXPECT_NE(s.out.find("/drover.v1.Controller/Ping"), std::string::npos);
  EXPECT_NE(s.out.find("application/grpc"), std::string::npos);
  EXPECT_NE(s.out.find("1000m"), std::string::npos);  // grpc-timeout
  EXPECT_TRUE(s.out.ends_with(ClientSession::FrameMessage("req")));
}

TEST(ClientSession, UnaryReplyAndOkTrailers) {
  Script s;
  s.Start();
  s.out.clear();
  ASSERT_TRUE(s.Feed(Settings({}) + Headers(1, {{":status", "200"}, {"content-type", "application/grpc"}}, false) +
                     Data(1, "pong") + Headers(1, {{"grpc-status", "0"}}, true)));
  ASSERT_TRUE(s.session.call_done());
  EXPECT_THAT(s.messages, ::testing::ElementsAre("pong"));
  EXPECT_EQ(s.session.TakeStatus().code, 0);
  EXPECT_EQ(s.out, Frame(4, 1, 0, ""));  // our SETTINGS ACK
}

TEST(ClientSession, MessagesSplitAcrossFramesAndManyInOne) {
  Script s;
  s.Start();
  std::string two = ClientSession::FrameMessage("first") + ClientSession::FrameMessage("second");
  ASSERT_TRUE(s.Feed(Headers(1, {{":status", "200"}}, false) + Frame(0, 0, 1, two.substr(0, 7))));
  ASSERT_TRUE(s.Feed(Frame(0, 0, 1, two.substr(7)) + Headers(1, {{"grpc-status", "0"}}, true)));
  EXPECT_THAT(s.messages, ::testing::ElementsAre("first", "second"));
}

TEST(ClientSession, TrailersOnlyErrorWithMessageAndDetails) {
  Script s;
  s.Start();
  // "AQID" is base64 of 01 02 03, unpadded as gRPC sends it.
  ASSERT_TRUE(s.Feed(Headers(1,
                             {{":status", "200"},
                              {"grpc-status", "7"},
                              {"grpc-message", "Access%2Fpermission denied"},
                              {"grpc-status-details-bin", "AQID"}},
                             true)));
  ASSERT_TRUE(s.session.call_done());
  CallStatus status = s.session.TakeStatus();
  EXPECT_EQ(status.code, 7);
  EXPECT_EQ(status.message, "Access/permission denied");
  EXPECT_EQ(status.details, std::string("\x01\x02\x03"));
}

TEST(ClientSession, PingIsAnsweredWithItsPayload) {
  Script s;
  s.Start();
  s.out.clear();
  ASSERT_TRUE(s.Feed(Frame(6, 0, 0, "12345678")));
  EXPECT_EQ(s.out, Frame(6, 1, 0, "12345678"));
  s.out.clear();
  ASSERT_TRUE(s.Feed(Frame(6, 1, 0, "12345678")));  // an ACK is not answered
  EXPECT_EQ(s.out, "");
}

TEST(ClientSession, RequestWaitsForTheWindow) {
  ClientSession session;
  std::string out;
  session.AppendPreface(out);
  session.StartCall("/p", "a", {}, 0, nullptr, out);
  std::string big = ClientSession::FrameMessage(std::string(100000, 'x'));
  size_t sent = session.AppendRequestData(big, true, out);
  EXPECT_EQ(sent, 65535u);  // the default windows
  EXPECT_EQ(session.SendWindow(), 0);
  std::string_view in;
  std::string more = Settings({{4, 1 << 20}}) + WindowUpdate(0, 1 << 20);
  in = more;
  ASSERT_TRUE(session.Receive(in, out));
  EXPECT_GT(session.SendWindow(), 0);
  sent += session.AppendRequestData(std::string_view(big).substr(sent), true, out);
  EXPECT_EQ(sent, big.size());
}

TEST(ClientSession, HeaderBlockInterruptedIsAnError) {
  Script s;
  s.Start();
  std::string block;
  EncodeLiteral(":status", "200", block);
  Status st = s.Feed(Frame(1, 0, 1, block) + Frame(6, 0, 0, "12345678"));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), ErrorCode::kProtocol);
}

TEST(ClientSession, ContinuationCompletesTheBlock) {
  Script s;
  s.Start();
  std::string block;
  EncodeLiteral(":status", "200", block);
  EncodeLiteral("grpc-status", "5", block);
  ASSERT_TRUE(s.Feed(Frame(1, 1, 1, block.substr(0, 3)) + Frame(9, 4, 1, block.substr(3))));
  ASSERT_TRUE(s.session.call_done());
  EXPECT_EQ(s.session.TakeStatus().code, 5);
}

TEST(ClientSession, ResetAndGoAwayEndTheCall) {
  Script s;
  s.Start();
  ASSERT_TRUE(s.Feed(Frame(3, 0, 1, std::string("\0\0\0\x07", 4))));
  ASSERT_TRUE(s.session.call_done());
  EXPECT_EQ(s.session.TakeStatus().code, 14);  // REFUSED_STREAM: UNAVAILABLE

  Script g;
  g.Start();
  ASSERT_TRUE(g.Feed(Frame(7, 0, 0, std::string(8, '\0'))));  // last stream 0
  ASSERT_TRUE(g.session.call_done());
  EXPECT_EQ(g.session.TakeStatus().code, 14);
  EXPECT_TRUE(g.session.going_away());
}

TEST(ClientSession, MalformedFramesAreProtocolErrors) {
  for (std::string bad : {Frame(4, 0, 0, "12345"),          // SETTINGS not 6n
                          Frame(6, 0, 0, "1234"),           // short PING
                          Frame(5, 4, 1, "xxxx"),           // PUSH_PROMISE
                          Frame(0, 0, 1, "data"),           // DATA before HEADERS
                          Frame(1, 0x4, 0, ""),             // HEADERS on stream 0
                          std::string("\xff\xff\xff\x00\x00\x00\x00\x00\x01", 9)}) {  // huge
    Script s;
    s.Start();
    Status st = s.Feed(bad);
    EXPECT_FALSE(st) << "accepted frame type " << int(bad[3]);
  }
}

TEST(ClientSession, CompressedMessageIsRefused) {
  Script s;
  s.Start();
  std::string msg = ClientSession::FrameMessage("x");
  msg[0] = 1;
  EXPECT_FALSE(s.Feed(Headers(1, {{":status", "200"}}, false) + Frame(0, 0, 1, msg)));
}

TEST(ClientSession, NonGrpcHttpStatusMapsToAGrpcCode) {
  Script s;
  s.Start();
  ASSERT_TRUE(s.Feed(Headers(1, {{":status", "503"}}, true)));
  EXPECT_EQ(s.session.TakeStatus().code, 14);
}

}  // namespace
}  // namespace drover::wire
