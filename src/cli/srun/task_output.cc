#include "cli/srun/task_output.h"

#include <fmt/format.h>

namespace drover::cli::srun {

OutputAssembler::OutputAssembler(uint32_t num_tasks, bool label, bool unbuffered, Writer writer)
    : num_tasks_(num_tasks), label_(label), unbuffered_(unbuffered), writer_(std::move(writer)) {}

std::string OutputAssembler::Label(uint32_t task, uint32_t num_tasks) {
  int width = static_cast<int>(std::to_string(num_tasks > 0 ? num_tasks - 1 : 0).size());
  return fmt::format("{:>{}}: ", task, width);
}

void OutputAssembler::Write(uint32_t task, OutputStreamKind stream, std::string_view text) {
  if (label_) {
    writer_(stream, Label(task, num_tasks_) + std::string(text));
  } else {
    writer_(stream, text);
  }
}

void OutputAssembler::Add(uint32_t task, OutputStreamKind stream, std::string_view data) {
  Pending& p = pending_[{task, stream}];
  if (unbuffered_) {
    if (!label_) {
      if (!data.empty()) writer_(stream, data);
      return;
    }
    // Label each line start; write what arrived at once.
    std::string out;
    while (!data.empty()) {
      if (p.at_line_start) out += Label(task, num_tasks_);
      size_t nl = data.find('\n');
      std::string_view piece = data.substr(0, nl == std::string_view::npos ? data.size() : nl + 1);
      out += piece;
      p.at_line_start = nl != std::string_view::npos;
      data.remove_prefix(piece.size());
    }
    if (!out.empty()) writer_(stream, out);
    return;
  }
  while (!data.empty()) {
    size_t nl = data.find('\n');
    if (nl == std::string_view::npos) {
      p.partial.append(data);
      return;
    }
    p.partial.append(data.substr(0, nl + 1));
    Write(task, stream, p.partial);
    p.partial.clear();
    data.remove_prefix(nl + 1);
  }
}

void OutputAssembler::Flush() {
  for (auto& [key, p] : pending_) {
    if (!p.partial.empty()) Write(key.first, key.second, p.partial);
    p.partial.clear();
  }
}

}  // namespace drover::cli::srun
