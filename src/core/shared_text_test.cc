// Interning shares equal values and keeps different ones apart.
#include "core/shared_text.h"

#include <gtest/gtest.h>

namespace drover {
namespace {

TEST(SharedText, InternSharesEqualValues) {
  SharedStrings a(std::vector<std::string>{"HOME=/home/alice", "PATH=/bin"});
  SharedStrings b(std::vector<std::string>{"HOME=/home/alice", "PATH=/bin"});
  SharedStrings c(std::vector<std::string>{"HOME=/home/bob", "PATH=/bin"});
  a.Intern();
  b.Intern();
  c.Intern();
  EXPECT_EQ(&a.get(), &b.get());  // one copy for both
  EXPECT_NE(&a.get(), &c.get());
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == c);

  SharedString s1(std::string("#!/bin/sh\ntrue\n")), s2(std::string("#!/bin/sh\ntrue\n"));
  s1.Intern();
  s2.Intern();
  EXPECT_EQ(&s1.get(), &s2.get());
  EXPECT_EQ(s1, "#!/bin/sh\ntrue\n");
}

TEST(SharedText, EmptyAndUnsetAreEqual) {
  SharedString unset;
  SharedString empty(std::string{});
  EXPECT_TRUE(unset.empty());
  EXPECT_EQ(unset, empty);
  unset.Intern();  // nothing to share
  EXPECT_EQ(unset.get(), "");
  SharedStrings none;
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.begin(), none.end());
}

TEST(SharedText, ADeadValueIsNotReturned) {
  std::string text(1000, 'x');
  {
    SharedString first(text);
    first.Intern();
  }
  SharedString second(text);
  second.Intern();
  EXPECT_EQ(second.get(), text);
}

}  // namespace
}  // namespace drover
