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

Status Feed(ClientSession& session, std::string& out, std::string bytes) {
  std::string_view in = bytes;
  Status s = session.Receive(in, out);
  EXPECT_TRUE(in.empty() || !s);
  return s;
}

// The DATA frames in `out` for stream 1: their payloads joined, and whether one ended
// the stream. Other frames are skipped.
struct SentData {
  std::string bytes;
  int frames = 0;
  bool end_stream = false;
};
SentData DataIn(std::string_view out) {
  if (out.starts_with("PRI ")) out.remove_prefix(24);
  SentData d;
  while (out.size() >= 9) {
    size_t length = (static_cast<uint8_t>(out[0]) << 16) | (static_cast<uint8_t>(out[1]) << 8) |
                    static_cast<uint8_t>(out[2]);
    if (out[3] == 0) {
      EXPECT_FALSE(d.end_stream) << "DATA after END_STREAM";
      d.bytes.append(out.substr(9, length));
      ++d.frames;
      d.end_stream = (out[4] & 1) != 0;
    }
    out.remove_prefix(9 + length);
  }
  EXPECT_TRUE(out.empty());
  return d;
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
    session.QueueMessage(request);
    session.CloseRequest();
    session.AppendRequestData(out);
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
  session.QueueMessage(std::string(100000, 'x'));
  session.CloseRequest();
  size_t before = out.size();
  session.AppendRequestData(out);
  // The default windows: 65535 bytes in frames of at most 16384, the last not ending.
  EXPECT_EQ(out.size() - before, 65535u + 4 * 9);
  EXPECT_EQ(session.SendWindow(), 0);
  EXPECT_EQ(session.request_queued(), 100005u - 65535u);
  // Receive itself sends the rest once the server opens the windows.
  out.clear();
  ASSERT_TRUE(Feed(session, out, Settings({{4, 1 << 20}}) + WindowUpdate(0, 1 << 20)));
  EXPECT_EQ(session.request_queued(), 0u);
  EXPECT_TRUE(out.starts_with(Frame(4, 1, 0, "")));  // the SETTINGS ACK first
  SentData rest = DataIn(out);
  EXPECT_EQ(rest.frames, 3);  // 16384 + 16384 + 1702
  EXPECT_TRUE(rest.bytes == std::string(100005 - 65535, 'x'));
  EXPECT_TRUE(rest.end_stream);
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

// A bidirectional call: requests are queued while replies arrive, and the half-close
// comes last.
TEST(ClientSession, StreamingRequestsInterleaveWithReplies) {
  ClientSession session;
  std::vector<std::string> replies;
  std::string out;
  session.AppendPreface(out);
  session.StartCall("/drover.v1.StepIo/LaunchTasks", "n1:6818", {}, 0,
                    [&](std::string_view m) -> Status {
                      replies.emplace_back(m);
                      return Ok();
                    },
                    out);
  session.QueueMessage("a");
  session.AppendRequestData(out);
  ASSERT_TRUE(Feed(session, out, Headers(1, {{":status", "200"}}, false) + Data(1, "A")));
  session.QueueMessage("b");
  session.QueueMessage("c");
  session.AppendRequestData(out);
  SentData sent = DataIn(out);
  EXPECT_EQ(sent.bytes, ClientSession::FrameMessage("a") + ClientSession::FrameMessage("b") +
                            ClientSession::FrameMessage("c"));
  EXPECT_FALSE(sent.end_stream);
  ASSERT_TRUE(Feed(session, out, Data(1, "B") + Data(1, "C")));
  EXPECT_FALSE(session.call_done());

  size_t before = out.size();
  session.CloseRequest();
  session.AppendRequestData(out);
  EXPECT_EQ(out.substr(before), Frame(0, 1, 1, ""));  // END_STREAM alone
  session.AppendRequestData(out);
  EXPECT_EQ(out.size(), before + 9);  // and only once
  ASSERT_TRUE(Feed(session, out, Data(1, "done") + Headers(1, {{"grpc-status", "0"}}, true)));
  ASSERT_TRUE(session.call_done());
  EXPECT_EQ(session.TakeStatus().code, 0);
  EXPECT_THAT(replies, ::testing::ElementsAre("A", "B", "C", "done"));
}

TEST(ClientSession, EndStreamRidesOnTheLastDataFrame) {
  ClientSession session;
  std::string out;
  session.StartCall("/p", "a", {}, 0, nullptr, out);
  out.clear();
  session.QueueMessage("x");
  session.QueueMessage("y");
  session.CloseRequest();
  session.AppendRequestData(out);
  EXPECT_EQ(out,
            Frame(0, 1, 1, ClientSession::FrameMessage("x") + ClientSession::FrameMessage("y")));
}

// The stream's window, not only the connection's, holds requests back; its WINDOW_UPDATE
// releases exactly what it grants.
TEST(ClientSession, StreamWindowUpdateReleasesQueuedRequest) {
  ClientSession session;
  std::string out;
  session.AppendPreface(out);
  ASSERT_TRUE(Feed(session, out, Settings({{4, 10}})));
  session.StartCall("/p", "a", {}, 0, nullptr, out);
  session.QueueMessage(std::string(95, 'q'));  // 100 bytes framed
  out.clear();
  session.AppendRequestData(out);
  EXPECT_EQ(DataIn(out).bytes.size(), 10u);
  out.clear();
  ASSERT_TRUE(Feed(session, out, WindowUpdate(1, 50)));
  EXPECT_EQ(DataIn(out).bytes.size(), 50u);
  EXPECT_EQ(session.request_queued(), 40u);
  out.clear();
  ASSERT_TRUE(Feed(session, out, WindowUpdate(0, 1000)));  // the connection's alone: nothing
  EXPECT_EQ(out, "");
  session.CloseRequest();
  ASSERT_TRUE(Feed(session, out, WindowUpdate(1, 100)));
  SentData rest = DataIn(out);
  EXPECT_EQ(rest.bytes, std::string(40, 'q'));
  EXPECT_TRUE(rest.end_stream);
}

// A message larger than the peer's frame size goes out in frames of that size.
TEST(ClientSession, RequestIsSplitToThePeersFrameSize) {
  ClientSession session;
  std::string out;
  session.AppendPreface(out);
  ASSERT_TRUE(Feed(session, out, Settings({{4, 1 << 20}}) + WindowUpdate(0, 1 << 20)));
  session.StartCall("/p", "a", {}, 0, nullptr, out);
  std::string big(40000, 'z');
  session.QueueMessage(big);
  session.CloseRequest();
  out.clear();
  session.AppendRequestData(out);
  SentData sent = DataIn(out);
  EXPECT_EQ(sent.frames, 3);  // 16384 + 16384 + 7237
  EXPECT_EQ(sent.bytes, ClientSession::FrameMessage(big));
  EXPECT_TRUE(sent.end_stream);
}

// The server may end a bidirectional call before reading every request: what is still
// queued is dropped and nothing more goes out on the ended stream.
TEST(ClientSession, TrailersDropTheQueuedRequest) {
  ClientSession session;
  std::string out;
  session.AppendPreface(out);
  session.StartCall("/p", "a", {}, 0, nullptr, out);
  session.QueueMessage(std::string(200000, 'r'));
  session.AppendRequestData(out);
  EXPECT_GT(session.request_queued(), 0u);
  out.clear();
  ASSERT_TRUE(
      Feed(session, out,
           Headers(1, {{":status", "200"}, {"grpc-status", "9"}, {"grpc-message", "no"}}, true) +
               WindowUpdate(0, 1 << 20) + WindowUpdate(1, 1 << 20)));
  ASSERT_TRUE(session.call_done());
  EXPECT_EQ(session.request_queued(), 0u);
  session.QueueMessage("late");
  session.CloseRequest();
  session.AppendRequestData(out);
  EXPECT_EQ(out, "");
  CallStatus status = session.TakeStatus();
  EXPECT_EQ(status.code, 9);
  EXPECT_EQ(status.message, "no");
}

TEST(ClientSession, CancelSendsRstStreamAndEndsCancelled) {
  Script s;
  s.Start();
  s.out.clear();
  s.session.CancelCall(s.out);
  EXPECT_EQ(s.out, Frame(3, 0, 1, std::string("\0\0\0\x08", 4)));
  ASSERT_TRUE(s.session.call_done());
  EXPECT_EQ(s.session.TakeStatus().code, CallStatus::kCancelled);
  s.out.clear();
  s.session.CancelCall(s.out);  // once ended, nothing
  EXPECT_EQ(s.out, "");
  // Replies still in flight for the cancelled stream are ignored.
  ASSERT_TRUE(s.Feed(Headers(1, {{":status", "200"}}, false) + Data(1, "late")));
  EXPECT_TRUE(s.messages.empty());
}

TEST(ClientSession, AbortCallEndsWithTheGivenStatusOnce) {
  Script s;
  s.Start();
  s.session.AbortCall(CallStatus::kUnavailable, "connection lost");
  ASSERT_TRUE(s.session.call_done());
  s.session.AbortCall(CallStatus::kInternal, "later");
  CallStatus status = s.session.TakeStatus();
  EXPECT_EQ(status.code, CallStatus::kUnavailable);
  EXPECT_EQ(status.message, "connection lost");
}

// One connection, calls one after another: each starts with a fresh request side.
TEST(ClientSession, SecondCallGetsTheNextStreamAndItsOwnRequest) {
  Script s;
  s.Start("one");
  ASSERT_TRUE(s.Feed(Headers(1, {{":status", "200"}, {"grpc-status", "0"}}, true)));
  ASSERT_TRUE(s.session.call_done());
  (void)s.session.TakeStatus();
  s.out.clear();
  s.session.StartCall("/p", "a", {}, 0, nullptr, s.out);
  s.session.QueueMessage("two");
  s.session.CloseRequest();
  s.session.AppendRequestData(s.out);
  EXPECT_TRUE(s.out.ends_with(Frame(0, 1, 3, ClientSession::FrameMessage("two"))));
}

}  // namespace
}  // namespace drover::wire
