#include "wire/session.h"

#include <algorithm>
#include <charconv>

namespace drover::wire {
namespace {

enum FrameType : uint8_t {
  kData = 0,
  kHeaders = 1,
  kPriority = 2,
  kRstStream = 3,
  kSettings = 4,
  kPushPromise = 5,
  kPing = 6,
  kGoAway = 7,
  kWindowUpdate = 8,
  kContinuation = 9,
};
constexpr uint8_t kEndStream = 0x1;
constexpr uint8_t kAck = 0x1;
constexpr uint8_t kEndHeaders = 0x4;
constexpr uint8_t kPadded = 0x8;
constexpr uint8_t kPriorityFlag = 0x20;

constexpr uint16_t kSettingsEnablePush = 2;
constexpr uint16_t kSettingsInitialWindowSize = 4;
constexpr uint16_t kSettingsMaxFrameSize = 5;

// What we let the peer send before we acknowledge; replenished at half.
constexpr int64_t kWindow = 1 << 30;
constexpr uint32_t kOurMaxFrame = 1 << 20;
constexpr int64_t kMaxWindow = 0x7fffffff;

// gRPC status codes the session itself produces.
constexpr int kGrpcCancelled = CallStatus::kCancelled;
constexpr int kGrpcUnknown = CallStatus::kUnknown;
constexpr int kGrpcUnimplemented = CallStatus::kUnimplemented;
constexpr int kGrpcInternal = CallStatus::kInternal;
constexpr int kGrpcUnavailable = CallStatus::kUnavailable;
constexpr int kGrpcUnauthenticated = CallStatus::kUnauthenticated;
constexpr int kGrpcPermissionDenied = CallStatus::kPermissionDenied;

// HTTP/2 error codes (RFC 9113 7).
constexpr uint32_t kRefusedStream = 0x7;
constexpr uint32_t kCancel = 0x8;

Error Malformed(std::string_view what) {
  return Error(ErrorCode::kProtocol, "HTTP/2: " + std::string(what));
}

uint32_t ReadU32(std::string_view s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3]));
}

void AppendU32(uint32_t v, std::string& out) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

void AppendFrameHeader(size_t length, uint8_t type, uint8_t flags, uint32_t stream,
                       std::string& out) {
  out.push_back(static_cast<char>(length >> 16));
  out.push_back(static_cast<char>(length >> 8));
  out.push_back(static_cast<char>(length));
  out.push_back(static_cast<char>(type));
  out.push_back(static_cast<char>(flags));
  AppendU32(stream & 0x7fffffff, out);
}

void AppendSetting(uint16_t id, uint32_t value, std::string& out) {
  out.push_back(static_cast<char>(id >> 8));
  out.push_back(static_cast<char>(id));
  AppendU32(value, out);
}

// gRPC's length-prefixed message: a compressed flag (never set), the length, the bytes.
void AppendMessageFrame(std::string_view message, std::string& out) {
  out.push_back(0);
  AppendU32(static_cast<uint32_t>(message.size()), out);
  out.append(message);
}

void AppendWindowUpdate(uint32_t stream, uint32_t increment, std::string& out) {
  AppendFrameHeader(4, kWindowUpdate, 0, stream, out);
  AppendU32(increment, out);
}

// Strips a PADDED frame's pad length byte and padding.
Result<std::string_view> Unpad(std::string_view payload, uint8_t flags) {
  if (!(flags & kPadded)) return payload;
  if (payload.empty()) return Malformed("padded frame without a pad length");
  size_t pad = static_cast<uint8_t>(payload[0]);
  if (pad >= payload.size()) return Malformed("padding longer than the frame");
  return payload.substr(1, payload.size() - 1 - pad);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// grpc-message is percent-encoded; a malformed escape stays as it is (gRPC's rule).
std::string PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      int hi = HexDigit(in[i + 1]), lo = HexDigit(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

// Standard base64, padding optional (gRPC sends -bin values unpadded).
Result<std::string> Base64Decode(std::string_view in) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t bits = 0;
  int count = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else {
      return Malformed("bad base64 in a binary header");
    }
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>(bits >> count));
    }
  }
  if (count >= 6) return Malformed("bad base64 length in a binary header");
  return out;
}

// gRPC's mapping of an HTTP status without grpc-status (its spec, "HTTP to gRPC").
int GrpcCodeForHttp(std::string_view status) {
  if (status == "400") return kGrpcInternal;
  if (status == "401") return kGrpcUnauthenticated;
  if (status == "403") return kGrpcPermissionDenied;
  if (status == "404") return kGrpcUnimplemented;
  if (status == "429" || status == "502" || status == "503" || status == "504") {
    return kGrpcUnavailable;
  }
  return kGrpcUnknown;
}

}  // namespace

ClientSession::ClientSession() = default;

void ClientSession::AppendPreface(std::string& out) {
  out.append("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  AppendFrameHeader(18, kSettings, 0, 0, out);
  AppendSetting(kSettingsEnablePush, 0, out);
  AppendSetting(kSettingsInitialWindowSize, static_cast<uint32_t>(kWindow), out);
  AppendSetting(kSettingsMaxFrameSize, kOurMaxFrame, out);
  AppendWindowUpdate(0, static_cast<uint32_t>(kWindow - 65535), out);
}

std::string ClientSession::FrameMessage(std::string_view message) {
  std::string framed;
  framed.reserve(5 + message.size());
  AppendMessageFrame(message, framed);
  return framed;
}

void ClientSession::StartCall(std::string_view path, std::string_view authority,
                              std::span<const Header> metadata, int64_t timeout_ms,
                              MessageSink sink, std::string& out) {
  DROVER_CHECK(done_);
  stream_ = next_stream_;
  next_stream_ += 2;
  done_ = false;
  headers_seen_ = false;
  message_buffer_.clear();
  status_ = {};
  sink_ = std::move(sink);
  request_queue_.clear();
  request_sent_ = 0;
  request_closed_ = false;
  end_stream_sent_ = false;
  stream_send_window_ = peer_initial_window_;
  stream_recv_unacked_ = 0;

  std::string block;
  EncodeLiteral(":method", "POST", block);
  EncodeLiteral(":scheme", "http", block);
  EncodeLiteral(":path", path, block);
  EncodeLiteral(":authority", authority, block);
  EncodeLiteral("te", "trailers", block);
  EncodeLiteral("content-type", "application/grpc", block);
  if (timeout_ms > 0) {
    // At most 8 digits (gRPC's rule): milliseconds, else seconds.
    std::string value = timeout_ms <= 99'999'999 ? std::to_string(timeout_ms) + "m"
                                                 : std::to_string(timeout_ms / 1000) + "S";
    EncodeLiteral("grpc-timeout", value, block);
  }
  for (const Header& h : metadata) EncodeLiteral(h.name, h.value, block);

  std::string_view rest = block;
  bool first = true;
  do {
    std::string_view piece = rest.substr(0, peer_max_frame_);
    rest.remove_prefix(piece.size());
    uint8_t flags = rest.empty() ? kEndHeaders : 0;
    AppendFrameHeader(piece.size(), first ? kHeaders : kContinuation, flags, stream_, out);
    out.append(piece);
    first = false;
  } while (!rest.empty());
}

int64_t ClientSession::SendWindow() const {
  return std::max<int64_t>(0, std::min(conn_send_window_, stream_send_window_));
}

void ClientSession::QueueMessage(std::string_view message) {
  DROVER_CHECK(stream_ != 0 && !request_closed_);
  if (done_) return;  // the server already ended the call: nobody reads it
  AppendMessageFrame(message, request_queue_);
}

void ClientSession::CloseRequest() {
  DROVER_CHECK(stream_ != 0 && !request_closed_);
  request_closed_ = true;
}

void ClientSession::AppendRequestData(std::string& out) {
  if (done_ || end_stream_sent_) return;
  while (request_sent_ < request_queue_.size()) {
    int64_t window = SendWindow();
    if (window == 0) break;
    size_t n = std::min<size_t>({request_queue_.size() - request_sent_, static_cast<size_t>(window),
                                 static_cast<size_t>(peer_max_frame_)});
    bool end = request_closed_ && request_sent_ + n == request_queue_.size();
    AppendFrameHeader(n, kData, end ? kEndStream : 0, stream_, out);
    out.append(request_queue_, request_sent_, n);
    request_sent_ += n;
    conn_send_window_ -= static_cast<int64_t>(n);
    stream_send_window_ -= static_cast<int64_t>(n);
    end_stream_sent_ = end;
  }
  if (request_sent_ == request_queue_.size()) {
    request_queue_.clear();
    request_sent_ = 0;
  } else if (request_sent_ > 0 && request_sent_ >= request_queue_.size() / 2) {
    // Dropping the sent front only once it is half the queue keeps sending linear.
    request_queue_.erase(0, request_sent_);
    request_sent_ = 0;
  }
  if (request_closed_ && request_queue_.empty() && !end_stream_sent_) {
    AppendFrameHeader(0, kData, kEndStream, stream_, out);
    end_stream_sent_ = true;
  }
}

void ClientSession::CancelCall(std::string& out) {
  if (done_) return;
  AppendFrameHeader(4, kRstStream, 0, stream_, out);
  AppendU32(kCancel, out);
  EndCall(kGrpcCancelled, "call cancelled");
}

void ClientSession::AbortCall(int code, std::string message) { EndCall(code, std::move(message)); }

CallStatus ClientSession::TakeStatus() {
  DROVER_CHECK(done_);
  return std::move(status_);
}

void ClientSession::EndCall(int code, std::string message) {
  if (done_) return;
  done_ = true;
  status_.code = code;
  status_.message = std::move(message);
  sink_ = nullptr;
  request_queue_.clear();
  request_sent_ = 0;
}

Status ClientSession::Receive(std::string_view& in, std::string& out) {
  while (in.size() >= 9) {
    FrameHeader h;
    h.length = (static_cast<uint32_t>(static_cast<uint8_t>(in[0])) << 16) |
               (static_cast<uint32_t>(static_cast<uint8_t>(in[1])) << 8) |
               static_cast<uint32_t>(static_cast<uint8_t>(in[2]));
    h.type = static_cast<uint8_t>(in[3]);
    h.flags = static_cast<uint8_t>(in[4]);
    h.stream = ReadU32(in, 5) & 0x7fffffff;
    if (h.length > kOurMaxFrame) return Malformed("frame larger than SETTINGS_MAX_FRAME_SIZE");
    if (in.size() < 9 + h.length) break;
    std::string_view payload = in.substr(9, h.length);
    in.remove_prefix(9 + h.length);
    RETURN_IF_ERROR(OnFrame(h, payload, out));
  }
  AppendRequestData(out);
  return Ok();
}

Status ClientSession::OnFrame(const FrameHeader& h, std::string_view payload, std::string& out) {
  if (continuation_stream_ != 0 &&
      (h.type != kContinuation || h.stream != continuation_stream_)) {
    return Malformed("header block interrupted");
  }
  switch (h.type) {
    case kSettings:
      return OnSettings(h, payload, out);
    case kPing:
      if (h.stream != 0 || payload.size() != 8) return Malformed("bad PING");
      if (!(h.flags & kAck)) {
        AppendFrameHeader(8, kPing, kAck, 0, out);
        out.append(payload);
      }
      return Ok();
    case kWindowUpdate: {
      if (payload.size() != 4) return Malformed("bad WINDOW_UPDATE");
      int64_t increment = ReadU32(payload, 0) & 0x7fffffff;
      if (h.stream == 0) {
        if (increment == 0) return Malformed("zero connection window increment");
        conn_send_window_ += increment;
        if (conn_send_window_ > kMaxWindow) return Malformed("connection window overflow");
      } else if (h.stream == stream_ && !done_) {
        stream_send_window_ += increment;
        if (stream_send_window_ > kMaxWindow) return Malformed("stream window overflow");
      }
      return Ok();
    }
    case kHeaders: {
      if (h.stream == 0) return Malformed("HEADERS on stream 0");
      ASSIGN_OR_RETURN(std::string_view fragment, Unpad(payload, h.flags));
      if (h.flags & kPriorityFlag) {
        if (fragment.size() < 5) return Malformed("short HEADERS priority");
        fragment.remove_prefix(5);
      }
      header_block_.assign(fragment);
      bool end_stream = (h.flags & kEndStream) != 0;
      if (!(h.flags & kEndHeaders)) {
        continuation_stream_ = h.stream;
        continuation_end_stream_ = end_stream;
        return Ok();
      }
      if (h.stream != stream_) {  // decoded anyway: the table must stay in step
        std::vector<Header> ignored;
        return hpack_.Decode(header_block_, ignored);
      }
      return OnHeaderBlock(end_stream);
    }
    case kContinuation: {
      if (continuation_stream_ == 0 || h.stream != continuation_stream_) {
        return Malformed("CONTINUATION without HEADERS");
      }
      if (header_block_.size() + payload.size() > (1u << 20)) {
        return Malformed("header block too large");
      }
      header_block_.append(payload);
      if (!(h.flags & kEndHeaders)) return Ok();
      uint32_t stream = continuation_stream_;
      continuation_stream_ = 0;
      if (stream != stream_) {
        std::vector<Header> ignored;
        return hpack_.Decode(header_block_, ignored);
      }
      return OnHeaderBlock(continuation_end_stream_);
    }
    case kData: {
      if (h.stream == 0) return Malformed("DATA on stream 0");
      // Flow control counts the whole payload, padding included.
      conn_recv_unacked_ += payload.size();
      if (conn_recv_unacked_ >= kWindow / 2) {
        AppendWindowUpdate(0, static_cast<uint32_t>(conn_recv_unacked_), out);
        conn_recv_unacked_ = 0;
      }
      ASSIGN_OR_RETURN(std::string_view data, Unpad(payload, h.flags));
      if (h.stream != stream_ || done_) return Ok();
      stream_recv_unacked_ += payload.size();
      bool end_stream = (h.flags & kEndStream) != 0;
      if (!end_stream && stream_recv_unacked_ >= kWindow / 2) {
        AppendWindowUpdate(stream_, static_cast<uint32_t>(stream_recv_unacked_), out);
        stream_recv_unacked_ = 0;
      }
      return OnData(data, end_stream);
    }
    case kRstStream: {
      if (payload.size() != 4) return Malformed("bad RST_STREAM");
      if (h.stream == stream_ && !done_) {
        uint32_t error = ReadU32(payload, 0);
        int code = error == kRefusedStream ? kGrpcUnavailable
                   : error == kCancel      ? kGrpcCancelled
                                           : kGrpcInternal;
        EndCall(code, "stream reset by the server (HTTP/2 error " + std::to_string(error) + ")");
      }
      return Ok();
    }
    case kGoAway: {
      if (h.stream != 0 || payload.size() < 8) return Malformed("bad GOAWAY");
      goaway_last_stream_ = ReadU32(payload, 0) & 0x7fffffff;
      if (!done_ && stream_ > goaway_last_stream_) {
        EndCall(kGrpcUnavailable, "the server closed the connection");
      }
      return Ok();
    }
    case kPushPromise:
      return Malformed("PUSH_PROMISE although push is disabled");
    default:  // PRIORITY and unknown types are ignored (RFC 9113 5.5)
      return Ok();
  }
}

Status ClientSession::OnSettings(const FrameHeader& h, std::string_view payload,
                                 std::string& out) {
  if (h.stream != 0) return Malformed("SETTINGS on a stream");
  if (h.flags & kAck) {
    if (!payload.empty()) return Malformed("SETTINGS ACK with a payload");
    return Ok();
  }
  if (payload.size() % 6 != 0) return Malformed("SETTINGS length not a multiple of 6");
  for (size_t at = 0; at < payload.size(); at += 6) {
    uint16_t id = static_cast<uint16_t>((static_cast<uint8_t>(payload[at]) << 8) |
                                        static_cast<uint8_t>(payload[at + 1]));
    uint32_t value = ReadU32(payload, at + 2);
    if (id == kSettingsInitialWindowSize) {
      if (value > kMaxWindow) return Malformed("SETTINGS_INITIAL_WINDOW_SIZE too large");
      int64_t delta = static_cast<int64_t>(value) - peer_initial_window_;
      peer_initial_window_ = value;
      if (!done_) stream_send_window_ += delta;
    } else if (id == kSettingsMaxFrameSize) {
      if (value < 16384 || value > 16777215) return Malformed("bad SETTINGS_MAX_FRAME_SIZE");
      peer_max_frame_ = value;
    }
    // HEADER_TABLE_SIZE bounds the peer's decoder, which our literals never fill; the
    // other settings do not constrain a client that opens one stream at a time.
  }
  AppendFrameHeader(0, kSettings, kAck, 0, out);
  return Ok();
}

Status ClientSession::OnHeaderBlock(bool end_stream) {
  std::vector<Header> headers;
  RETURN_IF_ERROR(hpack_.Decode(header_block_, headers));
  if (done_) return Ok();
  std::string_view http_status, grpc_status;
  const std::string* message = nullptr;
  const std::string* details = nullptr;
  for (const Header& h : headers) {
    if (h.name == ":status") {
      http_status = h.value;
    } else if (h.name == "grpc-status") {
      grpc_status = h.value;
    } else if (h.name == "grpc-message") {
      message = &h.value;
    } else if (h.name == "grpc-status-details-bin") {
      details = &h.value;
    } else if (h.name == "grpc-encoding" && h.value != "identity") {
      EndCall(kGrpcInternal, "reply compressed with " + h.value);
      return Ok();
    }
  }
  bool trailers = headers_seen_;
  headers_seen_ = true;
  if (!trailers && http_status != "200" && grpc_status.empty()) {
    EndCall(GrpcCodeForHttp(http_status), "HTTP status " + std::string(http_status));
    return Ok();
  }
  if (!end_stream) {
    if (trailers) return Malformed("trailers without END_STREAM");
    return Ok();  // the reply's headers; messages follow
  }
  if (!message_buffer_.empty()) return Malformed("stream ended inside a message");
  int code = kGrpcUnknown;
  if (grpc_status.empty()) {
    EndCall(kGrpcUnknown, "reply without grpc-status");
    return Ok();
  }
  auto [ptr, ec] = std::from_chars(grpc_status.data(), grpc_status.data() + grpc_status.size(), code);
  if (ec != std::errc() || ptr != grpc_status.data() + grpc_status.size()) {
    EndCall(kGrpcUnknown, "bad grpc-status " + std::string(grpc_status));
    return Ok();
  }
  EndCall(code, message ? PercentDecode(*message) : std::string());
  if (details) {
    ASSIGN_OR_RETURN(status_.details, Base64Decode(*details));
  }
  return Ok();
}

Status ClientSession::OnData(std::string_view data, bool end_stream) {
  if (!headers_seen_) return Malformed("DATA before HEADERS");
  message_buffer_.append(data);
  RETURN_IF_ERROR(DeliverMessages());
  if (end_stream && !done_) {
    return Malformed("stream ended without trailers");
  }
  return Ok();
}

Status ClientSession::DeliverMessages() {
  size_t at = 0;
  while (message_buffer_.size() - at >= 5) {
    uint8_t flag = static_cast<uint8_t>(message_buffer_[at]);
    uint32_t length = ReadU32(message_buffer_, at + 1);
    if (flag & 1) return Malformed("compressed message without an encoding");
    if (length > kMaxMessage) return Malformed("message larger than 1 GiB");
    if (message_buffer_.size() - at - 5 < length) break;
    std::string_view message = std::string_view(message_buffer_).substr(at + 5, length);
    at += 5 + length;
    if (sink_) {
      Status taken = sink_(message);
      if (!taken) {
        message_buffer_.erase(0, at);
        return taken;
      }
    }
  }
  message_buffer_.erase(0, at);
  return Ok();
}

}  // namespace drover::wire
