// SharedString and SharedStrings: immutable text held by pointer, for the large parts of
// a job's spec (its script and environment) that most jobs share with many others.
//
// Copies are pointer copies, and Intern() swaps the value for an equal one some other
// job already holds: ten thousand jobs submitted from one shell keep one environment and
// one script in the controller's memory, not ten thousand (a shell's environment alone is
// a few kilobytes). Values compare by content.
//
// Thread-safety: a value is immutable; Intern() may be called from any thread (the pool
// behind it is locked).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace drover {

class SharedString {
 public:
  SharedString() = default;
  SharedString(std::string s)  // NOLINT: implicit, as a std::string field was
      : p_(s.empty() ? nullptr : std::make_shared<const std::string>(std::move(s))) {}
  SharedString(const char* s) : SharedString(std::string(s)) {}  // NOLINT

  const std::string& get() const;
  operator const std::string&() const { return get(); }  // NOLINT
  operator std::string_view() const { return get(); }    // NOLINT
  bool empty() const { return get().empty(); }
  size_t size() const { return get().size(); }

  // Shares an equal value already held in this process, if there is one.
  void Intern();

  friend bool operator==(const SharedString& a, const SharedString& b) {
    return a.p_ == b.p_ || a.get() == b.get();
  }
  friend bool operator==(const SharedString& a, std::string_view b) { return a.get() == b; }
  friend bool operator==(const SharedString& a, const char* b) { return a.get() == b; }
  friend bool operator==(const SharedString& a, const std::string& b) { return a.get() == b; }

 private:
  std::shared_ptr<const std::string> p_;
};

class SharedStrings {
 public:
  using List = std::vector<std::string>;
  SharedStrings() = default;
  SharedStrings(List v)  // NOLINT: implicit, as a std::vector field was
      : p_(v.empty() ? nullptr : std::make_shared<const List>(std::move(v))) {}

  const List& get() const;
  operator const List&() const { return get(); }  // NOLINT
  bool empty() const { return get().empty(); }
  size_t size() const { return get().size(); }
  List::const_iterator begin() const { return get().begin(); }
  List::const_iterator end() const { return get().end(); }

  // Shares an equal value already held in this process, if there is one.
  void Intern();

  friend bool operator==(const SharedStrings& a, const SharedStrings& b) {
    return a.p_ == b.p_ || a.get() == b.get();
  }
  friend bool operator==(const SharedStrings& a, const List& b) { return a.get() == b; }

 private:
  std::shared_ptr<const List> p_;
};

}  // namespace drover
