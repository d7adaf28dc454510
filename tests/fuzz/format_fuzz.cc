// Fuzzes the squeue/sinfo format string parsers (-o and -O) and the cell renderer: no
// crash, and a parsed spec prints back to text that parses to the same spec.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cli/common/format_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace drover::cli;
  if (auto spec = ParsePercentFormat(text)) {
    auto again = ParsePercentFormat(FormatSpecToString(*spec));
    if (!again || !(*again == *spec)) abort();
    for (const FormatField& f : spec->fields) {
      (void)FormatCell(f.suffix, f.width.value_or(0), f.right);
    }
  }
  if (auto spec = ParseLongFormat(text)) {
    (void)FormatSpecToString(*spec);
  }
  return 0;
}
