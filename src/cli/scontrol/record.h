// Record: a `scontrol show` record being written, line by line. Lines start with three
// spaces; with -o they are joined by one space instead. Slurm's trailing spaces (the ones
// after "CoresPerSocket=1 " and "Partitions=debug,short ") are part of the line text.
//
// Thread-safety: a value used by one thread.
#pragma once

#include <string>
#include <string_view>

namespace drover::cli::scontrol {

class Record {
 public:
  explicit Record(bool one_liner) : one_liner_(one_liner) {}

  // Starts a new line (the first call writes no separator).
  Record& Line(std::string_view text) {
    if (started_) out_ += one_liner_ ? " " : "\n   ";
    started_ = true;
    out_ += text;
    return *this;
  }
  // A detail line of `show job -d` ("     Nodes=node1 CPU_IDs=0 ...").
  Record& DetailLine(std::string_view text) {
    out_ += one_liner_ ? " " : "\n     ";
    out_ += text;
    return *this;
  }
  // The record with its terminator: a newline, and a blank line after a multi-line one.
  std::string Finish() const { return out_ + (one_liner_ ? "\n" : "\n\n"); }

 private:
  bool one_liner_;
  bool started_ = false;
  std::string out_;
};

}  // namespace drover::cli::scontrol
