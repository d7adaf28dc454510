#include "cli/scontrol/hosts.h"

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>

#include "base/hostlist.h"

namespace drover::cli::scontrol {
namespace {

// Joins the words after the subcommand: `scontrol show hostnames a b` means "a,b".
std::string JoinWords(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& w : words) {
    if (!joined.empty()) joined += ',';
    joined += w;
  }
  return joined;
}

// Whitespace separates names as commas do (a file of names, one per line).
std::string WhitespaceToCommas(std::string text) {
  std::replace_if(text.begin(), text.end(), [](char c) { return std::isspace(
                                                            static_cast<unsigned char>(c)); },
                  ',');
  std::string out;
  for (char c : text) {
    if (c == ',' && (out.empty() || out.back() == ',')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ',') out.pop_back();
  return out;
}

// Orders names by their text before the trailing number, then by that number, as
// `hostlistsorted` does: node2 before node10.
bool NaturalLess(const std::string& a, const std::string& b) {
  auto split = [](const std::string& s) {
    size_t i = s.size();
    while (i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1]))) --i;
    return std::pair<std::string_view, std::string_view>(std::string_view(s).substr(0, i),
                                                          std::string_view(s).substr(i));
  };
  auto [pa, na] = split(a);
  auto [pb, nb] = split(b);
  if (pa != pb) return pa < pb;
  // Compare numbers by length first (no overflow for long digit runs), then digits.
  std::string_view ta = na.substr(std::min(na.find_first_not_of('0'), na.size()));
  std::string_view tb = nb.substr(std::min(nb.find_first_not_of('0'), nb.size()));
  if (ta.size() != tb.size()) return ta.size() < tb.size();
  if (ta != tb) return ta < tb;
  return na.size() < nb.size();
}

}  // namespace

int ShowHostnames(const Invocation& inv, const std::vector<std::string>& words) {
  std::string list = JoinWords(words);
  if (list.empty()) list = inv.Getenv("SLURM_JOB_NODELIST").value_or("");
  if (list.empty()) {
    inv.err << "scontrol: error: no host list given and SLURM_JOB_NODELIST is not set\n";
    return 1;
  }
  Result<Hostlist> hosts = Hostlist::Parse(list);
  if (!hosts) {
    inv.err << "scontrol: error: " << hosts.error().ToString() << "\n";
    return 1;
  }
  Result<std::vector<std::string>> names = hosts->Expand();
  if (!names) {
    inv.err << "scontrol: error: " << names.error().ToString() << "\n";
    return 1;
  }
  std::string out;
  for (const std::string& name : *names) {
    out += name;
    out += '\n';
  }
  inv.out << out;
  return 0;
}

int ShowHostlist(const Invocation& inv, const std::vector<std::string>& words, bool sorted) {
  std::string list = JoinWords(words);
  if (!list.empty() && list[0] == '/') {
    std::ifstream file(list);
    if (!file) {
      inv.err << "scontrol: error: can not open " << list << "\n";
      return 1;
    }
    std::stringstream content;
    content << file.rdbuf();
    list = content.str();
  }
  list = WhitespaceToCommas(list);
  if (list.empty()) {
    inv.err << "scontrol: error: no host list given\n";
    return 1;
  }
  Result<Hostlist> hosts = Hostlist::Parse(list);
  if (!hosts) {
    inv.err << "scontrol: error: " << hosts.error().ToString() << "\n";
    return 1;
  }
  Result<std::vector<std::string>> names = hosts->Expand();
  if (!names) {
    inv.err << "scontrol: error: " << names.error().ToString() << "\n";
    return 1;
  }
  if (sorted) {
    std::sort(names->begin(), names->end(), NaturalLess);
    names->erase(std::unique(names->begin(), names->end()), names->end());
  }
  inv.out << Hostlist::Compress(*names) << "\n";
  return 0;
}

}  // namespace drover::cli::scontrol
