#include "noded/step_spool.h"

#include <dirent.h>
#include <errno.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "noded/spool.h"

namespace drover::noded {
namespace {

// "123" -> 123; nullopt for anything else (empty, signs, overflow).
std::optional<uint32_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  uint64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + static_cast<uint64_t>(c - '0');
  }
  if (id > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(id);
}

}  // namespace

std::string StepDir(std::string_view spool_dir, uint32_t job_id, uint32_t step_id) {
  return fmt::format("{}/job{:05}.{}", spool_dir, job_id, step_id);
}

std::vector<std::pair<uint32_t, uint32_t>> ListStepDirs(const std::string& spool_dir) {
  std::vector<std::pair<uint32_t, uint32_t>> steps;
  DIR* dir = opendir(spool_dir.c_str());
  if (dir == nullptr) return steps;
  while (struct dirent* entry = readdir(dir)) {
    std::string_view name = entry->d_name;
    if (!name.starts_with("job")) continue;
    size_t dot = name.find('.');
    if (dot == std::string_view::npos) continue;
    auto job = ParseId(name.substr(3, dot - 3));
    auto step = ParseId(name.substr(dot + 1));
    if (job && step && *job > 0) steps.emplace_back(*job, *step);
  }
  closedir(dir);
  std::sort(steps.begin(), steps.end());
  return steps;
}

std::vector<std::string> JobStepdDirs(const std::string& spool_dir, uint32_t job_id) {
  std::vector<std::string> dirs = {JobDir(spool_dir, job_id)};
  for (auto [job, step] : ListStepDirs(spool_dir)) {
    if (job == job_id) dirs.push_back(StepDir(spool_dir, job, step));
  }
  return dirs;
}

std::string EncodeFrame(std::string_view message) {
  std::string frame(4, '\0');
  uint32_t n = static_cast<uint32_t>(message.size());
  frame[0] = static_cast<char>(n >> 24);
  frame[1] = static_cast<char>(n >> 16);
  frame[2] = static_cast<char>(n >> 8);
  frame[3] = static_cast<char>(n);
  frame.append(message);
  return frame;
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (errno == EPIPE || errno == ECONNRESET) {
        return Error(ErrorCode::kUnavailable, "the peer closed the connection");
      }
      return Error(ErrorCode::kIo, fmt::format("send: {}", std::strerror(errno)));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

Result<std::optional<std::string>> FrameReader::Next() {
  if (buffer_.size() < 4) return std::optional<std::string>();
  auto byte = [this](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(buffer_[i])); };
  uint32_t n = byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
  if (n > kMaxFrame) {
    return Error(ErrorCode::kProtocol, fmt::format("frame of {} bytes", n));
  }
  if (buffer_.size() < 4 + static_cast<size_t>(n)) return std::optional<std::string>();
  std::string message = buffer_.substr(4, n);
  buffer_.erase(0, 4 + static_cast<size_t>(n));
  return std::optional<std::string>(std::move(message));
}

}  // namespace drover::noded
