// wire::Stream against the real gRPC server: a fake StepIo whose LaunchTasks echoes each
// stdin chunk back as task output and answers the half-close with `done`, driven the way
// srun drives its node connections (one poll loop over several streams), plus a raw
// listener that drops the connection mid-call.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/server_context.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "drover/v1/node.grpc.pb.h"
#include "wire/stream.h"

namespace drover::wire {
namespace {

using std::chrono::steady_clock;
constexpr char kPath[] = "/drover.v1.StepIo/LaunchTasks";

// LaunchTasks: `input` comes back as `output` with the same bytes; the half-close gets
// `done` and OK. A `signal` request ends the call with FAILED_PRECONDITION and a message
// that needs percent-encoding.
class EchoStepIo final : public v1::StepIo::Service {
 public:
  grpc::Status LaunchTasks(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::StepIoResponse, v1::StepIoRequest>* stream) override {
    {
      std::lock_guard lock(mu_);
      auto found = context->client_metadata().find("x-drover-credential");
      if (found != context->client_metadata().end()) {
        credentials_.emplace_back(found->second.data(), found->second.size());
      }
    }
    v1::StepIoRequest request;
    while (stream->Read(&request)) {
      if (request.has_signal()) {
        return grpc::Status(
            grpc::StatusCode::FAILED_PRECONDITION,
            "tasks 0-3: 100% gone, signal " + std::to_string(request.signal().signal()));
      }
      if (request.has_input()) {
        v1::StepIoResponse response;
        response.mutable_output()->set_data(request.input().data());
        if (!stream->Write(response)) break;
      }
    }
    if (context->IsCancelled()) {
      std::lock_guard lock(mu_);
      ++cancelled_;
      cv_.notify_all();
      return grpc::Status::CANCELLED;
    }
    v1::StepIoResponse done;
    done.mutable_done();
    stream->Write(done);
    return grpc::Status::OK;
  }

  // Waits (bounded) until `n` calls have seen their cancellation.
  bool WaitForCancelled(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return cancelled_ >= n; });
  }
  std::vector<std::string> credentials() {
    std::lock_guard lock(mu_);
    return credentials_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int cancelled_ = 0;
  std::vector<std::string> credentials_;
};

std::string Input(std::string_view data) {
  v1::StepIoRequest request;
  request.mutable_input()->set_data(std::string(data));
  return request.SerializeAsString();
}
std::string Signal(int signal) {
  v1::StepIoRequest request;
  request.mutable_signal()->set_signal(signal);
  return request.SerializeAsString();
}
v1::StepIoResponse Parse(std::string_view bytes) {
  v1::StepIoResponse response;
  EXPECT_TRUE(response.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  return response;
}

// srun's loop in miniature: polls every stream not done, hands replies to `on_reply`
// with the stream's index, until `until()` holds; false when ten seconds pass first.
bool Drive(const std::vector<Stream*>& streams,
           const std::function<void(size_t, const v1::StepIoResponse&)>& on_reply,
           const std::function<bool()>& until) {
  Deadline deadline = steady_clock::now() + std::chrono::seconds(10);
  while (!until()) {
    if (steady_clock::now() > deadline) return false;
    std::vector<pollfd> fds;
    std::vector<size_t> which;
    for (size_t i = 0; i < streams.size(); ++i) {
      if (streams[i]->done()) continue;
      fds.push_back({streams[i]->fd(), streams[i]->events(), 0});
      which.push_back(i);
    }
    if (fds.empty()) return until();
    int n = ::poll(fds.data(), fds.size(), 100);
    if (n < 0) return false;
    for (size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      size_t i = which[k];
      Status taken = streams[i]->OnReady(fds[k].revents, [&](std::string_view m) -> Status {
        on_reply(i, Parse(m));
        return Ok();
      });
      EXPECT_TRUE(taken) << taken.error().ToString();
    }
  }
  return true;
}

bool AllDone(const std::vector<Stream*>& streams) {
  for (Stream* s : streams) {
    if (!s->done()) return false;
  }
  return true;
}

class WireStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/drover-wire-stream-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    StartServer();
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
    std::filesystem::remove_all(dir_);
  }
  void StartServer() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.AddListeningPort(UnixTarget(), grpc::InsecureServerCredentials());
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  std::string TcpTarget() const { return fmt::format("127.0.0.1:{}", port_); }
  std::string UnixTarget() const { return "unix:" + dir_ + "/stepio.sock"; }

  std::unique_ptr<Stream> Open(const std::string& target, std::string credential = "cred") {
    const Header metadata[] = {{"x-drover-credential", std::move(credential)}};
    auto stream =
        Stream::Open(target, kPath, metadata, steady_clock::now() + std::chrono::seconds(5));
    EXPECT_TRUE(stream) << stream.error().ToString();
    return stream ? std::move(stream).value() : nullptr;
  }

  std::string dir_;
  EchoStepIo service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(WireStreamTest, InterleavedSendsAndReceives) {
  std::unique_ptr<Stream> stream = Open(TcpTarget(), "credential-1");
  ASSERT_NE(stream, nullptr);
  std::vector<std::string> outputs;
  bool done_seen = false;
  auto collect = [&](size_t, const v1::StepIoResponse& r) {
    if (r.has_output()) outputs.push_back(r.output().data());
    if (r.has_done()) done_seen = true;
  };
  // Lock step: each send waits for its echo.
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(stream->Send(Input(fmt::format("line {}\n", i))));
    ASSERT_TRUE(Drive({stream.get()}, collect, [&] { return outputs.size() == size_t(i) + 1; }));
    ASSERT_EQ(outputs.back(), fmt::format("line {}\n", i));
  }
  // A burst: many sends queued before any reply is read.
  for (int i = 200; i < 1200; ++i) ASSERT_TRUE(stream->Send(Input(fmt::format("line {}\n", i))));
  ASSERT_TRUE(Drive({stream.get()}, collect, [&] { return outputs.size() == 1200; }));
  for (int i = 0; i < 1200; ++i) ASSERT_EQ(outputs[i], fmt::format("line {}\n", i));
  EXPECT_FALSE(done_seen);
  EXPECT_FALSE(stream->done());

  ASSERT_TRUE(stream->CloseSend());
  ASSERT_TRUE(Drive({stream.get()}, collect, [&] { return stream->done(); }));
  EXPECT_TRUE(done_seen);
  EXPECT_EQ(stream->fd(), -1);
  CallStatus status = stream->TakeStatus();
  EXPECT_EQ(status.code, CallStatus::kOk) << status.message;
  EXPECT_EQ(service_.credentials(), std::vector<std::string>{"credential-1"});
}

// 3 MB each way: far past the 64 KB default windows and 16 KB frames, so both sides'
// flow control must open as the other reads.
TEST_F(WireStreamTest, LargeMessageEachWay) {
  std::unique_ptr<Stream> stream = Open(TcpTarget());
  ASSERT_NE(stream, nullptr);
  std::string big;
  big.reserve(3'000'000);
  for (int i = 0; i < 3'000'000; ++i) big.push_back(static_cast<char>('a' + i % 23));
  ASSERT_TRUE(stream->Send(Input(big)));
  ASSERT_TRUE(stream->Send(Input("after")));
  EXPECT_GT(stream->queued_bytes(), 3'000'000u - 70'000u);
  std::vector<std::string> outputs;
  ASSERT_TRUE(Drive(
      {stream.get()},
      [&](size_t, const v1::StepIoResponse& r) {
        if (r.has_output()) outputs.push_back(r.output().data());
      },
      [&] { return outputs.size() == 2; }));
  EXPECT_EQ(stream->queued_bytes(), 0u);
  ASSERT_EQ(outputs[0].size(), big.size());
  EXPECT_TRUE(outputs[0] == big);
  EXPECT_EQ(outputs[1], "after");
  ASSERT_TRUE(stream->CloseSend());
  auto last = stream->Next(steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(last && last->has_value());
  EXPECT_TRUE(Parse(**last).has_done());
  auto end = stream->Next(steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(end);
  EXPECT_FALSE(end->has_value());
  EXPECT_EQ(stream->TakeStatus().code, CallStatus::kOk);
}

// Two node connections, one over TCP and one over a Unix socket, in one loop: each gets
// exactly its own echoes, in order, including a large one that keeps the other waiting on
// nothing.
TEST_F(WireStreamTest, TwoStreamsPolledInOneLoop) {
  std::unique_ptr<Stream> a = Open(TcpTarget());
  std::unique_ptr<Stream> b = Open(UnixTarget());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  std::vector<Stream*> streams = {a.get(), b.get()};
  std::vector<std::vector<std::string>> outputs(2);
  std::vector<int> done(2, 0);
  auto collect = [&](size_t i, const v1::StepIoResponse& r) {
    if (r.has_output()) outputs[i].push_back(r.output().data());
    if (r.has_done()) ++done[i];
  };
  std::string big_a(1'000'000, 'A'), big_b(700'000, 'B');
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(a->Send(Input(fmt::format("a{}", i))));
    if (i == 100) {
      ASSERT_TRUE(a->Send(Input(big_a)));
    }
    ASSERT_TRUE(b->Send(Input(fmt::format("b{}", i))));
    if (i == 200) {
      ASSERT_TRUE(b->Send(Input(big_b)));
    }
    if (i % 50 == 0) {  // let some replies arrive between sends
      ASSERT_TRUE(Drive(streams, collect, [&] {
        return outputs[0].size() >= size_t(i) && outputs[1].size() >= size_t(i);
      }));
    }
  }
  ASSERT_TRUE(a->CloseSend());
  ASSERT_TRUE(b->CloseSend());
  ASSERT_TRUE(Drive(streams, collect, [&] { return AllDone(streams); }));
  ASSERT_EQ(outputs[0].size(), 301u);
  ASSERT_EQ(outputs[1].size(), 301u);
  for (int i = 0, k = 0; i < 300; ++i, ++k) {
    ASSERT_EQ(outputs[0][k], fmt::format("a{}", i));
    if (i == 100) {
      ASSERT_TRUE(outputs[0][++k] == big_a);
    }
  }
  for (int i = 0, k = 0; i < 300; ++i, ++k) {
    ASSERT_EQ(outputs[1][k], fmt::format("b{}", i));
    if (i == 200) {
      ASSERT_TRUE(outputs[1][++k] == big_b);
    }
  }
  EXPECT_EQ(done, (std::vector<int>{1, 1}));
  EXPECT_EQ(a->TakeStatus().code, CallStatus::kOk);
  EXPECT_EQ(b->TakeStatus().code, CallStatus::kOk);
}

// Half-closed at once: every echo still comes back, then `done`, then the end.
TEST_F(WireStreamTest, HalfCloseThenReceiveTheRest) {
  std::unique_ptr<Stream> stream = Open(TcpTarget());
  ASSERT_NE(stream, nullptr);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(stream->Send(Input(std::to_string(i))));
  ASSERT_TRUE(stream->CloseSend());
  for (int i = 0; i < 50; ++i) {
    auto next = stream->Next(steady_clock::now() + std::chrono::seconds(10));
    ASSERT_TRUE(next) << next.error().ToString();
    ASSERT_TRUE(next->has_value());
    EXPECT_EQ(Parse(**next).output().data(), std::to_string(i));
  }
  auto done = stream->Next(steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(done && done->has_value());
  EXPECT_TRUE(Parse(**done).has_done());
  auto end = stream->Next(steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(end);
  EXPECT_FALSE(end->has_value());
  ASSERT_TRUE(stream->done());
  EXPECT_EQ(stream->TakeStatus().code, CallStatus::kOk);
}

// The server ends the call with an error while requests are still coming: the replies
// before it arrive, then the status with its message, and later sends are refused.
TEST_F(WireStreamTest, ServerErrorStatusWithMessage) {
  std::unique_ptr<Stream> stream = Open(TcpTarget());
  ASSERT_NE(stream, nullptr);
  ASSERT_TRUE(stream->Send(Input("before")));
  ASSERT_TRUE(stream->Send(Signal(9)));
  std::vector<std::string> outputs;
  ASSERT_TRUE(Drive(
      {stream.get()},
      [&](size_t, const v1::StepIoResponse& r) { outputs.push_back(r.output().data()); },
      [&] { return stream->done(); }));
  EXPECT_EQ(outputs, std::vector<std::string>{"before"});
  CallStatus status = stream->TakeStatus();
  EXPECT_EQ(status.code, static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(status.message, "tasks 0-3: 100% gone, signal 9");
  Status late = stream->Send(Input("late"));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), ErrorCode::kUnavailable);
}

// The server shuts down with the call in progress: the call ends with an error status,
// and nothing waits for a reply that will not come.
TEST_F(WireStreamTest, ServerShutdownMidCallEndsTheCall) {
  std::unique_ptr<Stream> stream = Open(TcpTarget());
  ASSERT_NE(stream, nullptr);
  ASSERT_TRUE(stream->Send(Input("one")));
  auto first = stream->Next(steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(first && first->has_value());
  server_->Shutdown(std::chrono::system_clock::now());
  server_.reset();
  ASSERT_TRUE(Drive(
      {stream.get()}, [](size_t, const v1::StepIoResponse&) {}, [&] { return stream->done(); }));
  CallStatus status = stream->TakeStatus();
  EXPECT_NE(status.code, CallStatus::kOk);
  EXPECT_EQ(stream->fd(), -1);
}

// A listener that accepts and then vanishes (as a node daemon that dies does): the
// connection drops mid-call and the call ends UNAVAILABLE, both when the drop is seen on
// read and when requests are still being written.
TEST_F(WireStreamTest, ConnectionDroppedMidCallIsUnavailable) {
  for (bool writing : {false, true}) {
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(listener, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(listener, 1), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    std::unique_ptr<Stream> stream = Open(fmt::format("127.0.0.1:{}", ntohs(addr.sin_port)));
    ASSERT_NE(stream, nullptr);
    int peer = ::accept(listener, nullptr, nullptr);
    ASSERT_GE(peer, 0);
    ::close(listener);
    ASSERT_TRUE(stream->Send(Input("hello")));
    // Let the preface and HEADERS go out, then read some of them.
    auto none = stream->Next(steady_clock::now() + std::chrono::milliseconds(200));
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code(), ErrorCode::kTimeout);
    char buffer[64];
    ASSERT_GT(::recv(peer, buffer, sizeof buffer, 0), 0);
    ::close(peer);  // unread bytes remain: the kernel resets the connection
    if (writing) {
      for (int i = 0; i < 100 && !stream->done(); ++i) {
        ASSERT_TRUE(stream->Send(Input(std::string(10000, 'w'))));
        ASSERT_TRUE(stream->OnReady(POLLOUT, [](std::string_view) { return Ok(); }));
      }
    }
    ASSERT_TRUE(Drive(
        {stream.get()}, [](size_t, const v1::StepIoResponse&) {}, [&] { return stream->done(); }));
    CallStatus status = stream->TakeStatus();
    EXPECT_EQ(status.code, CallStatus::kUnavailable) << status.message;
    EXPECT_NE(status.message.find("connection lost"), std::string::npos) << status.message;
  }
}

TEST_F(WireStreamTest, NextTimesOutAndTheCallGoesOn) {
  std::unique_ptr<Stream> stream = Open(TcpTarget());
  ASSERT_NE(stream, nullptr);
  auto start = steady_clock::now();
  auto next = stream->Next(start + std::chrono::milliseconds(200));
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().code(), ErrorCode::kTimeout);
  EXPECT_GE(steady_clock::now() - start, std::chrono::milliseconds(200));
  EXPECT_FALSE(stream->done());
  ASSERT_TRUE(stream->Send(Input("still here")));
  next = stream->Next(steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(next && next->has_value());
  EXPECT_EQ(Parse(**next).output().data(), "still here");
}

TEST_F(WireStreamTest, CancelEndsTheCallOnBothSides) {
  std::unique_ptr<Stream> stream = Open(TcpTarget());
  ASSERT_NE(stream, nullptr);
  ASSERT_TRUE(stream->Send(Input("x")));
  auto next = stream->Next(steady_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(next && next->has_value());
  stream->Cancel();
  ASSERT_TRUE(stream->done());
  EXPECT_EQ(stream->fd(), -1);
  EXPECT_EQ(stream->TakeStatus().code, CallStatus::kCancelled);
  EXPECT_TRUE(service_.WaitForCancelled(1));
}

// A sink that refuses a message stops that OnReady with its Error; the call goes on and
// the messages after it still arrive.
TEST_F(WireStreamTest, SinkErrorIsReturnedAndTheCallGoesOn) {
  std::unique_ptr<Stream> stream = Open(TcpTarget());
  ASSERT_NE(stream, nullptr);
  for (const char* data : {"one", "bad", "two"}) ASSERT_TRUE(stream->Send(Input(data)));
  ASSERT_TRUE(stream->CloseSend());
  std::vector<std::string> taken;
  int refusals = 0;
  Deadline deadline = steady_clock::now() + std::chrono::seconds(10);
  while (!stream->done() && steady_clock::now() < deadline) {
    pollfd p{stream->fd(), stream->events(), 0};
    ASSERT_GE(::poll(&p, 1, 100), 0);
    Status status = stream->OnReady(p.revents, [&](std::string_view m) -> Status {
      v1::StepIoResponse r = Parse(m);
      if (r.output().data() == "bad") return Error(ErrorCode::kProtocol, "refused");
      taken.push_back(r.has_done() ? "done" : r.output().data());
      return Ok();
    });
    if (!status) {
      EXPECT_EQ(status.error().message(), "refused");
      ++refusals;
    }
  }
  ASSERT_TRUE(stream->done());
  EXPECT_EQ(refusals, 1);
  EXPECT_EQ(taken, (std::vector<std::string>{"one", "two", "done"}));
  EXPECT_EQ(stream->TakeStatus().code, CallStatus::kOk);
}

TEST_F(WireStreamTest, NothingListeningIsUnavailable) {
  std::string target = UnixTarget() + ".absent";
  auto stream = Stream::Open(target, kPath, {}, steady_clock::now() + std::chrono::seconds(5));
  ASSERT_FALSE(stream);
  EXPECT_EQ(stream.error().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace drover::wire
