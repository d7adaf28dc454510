#include "base/time_spec.h"

#include <fmt/core.h>

#include <array>
#include <cstdint>
#include <ctime>
#include <tuple>

namespace drover {
namespace {

using std::chrono::seconds;

// TimePoint counts nanoseconds in an int64, so it reaches only from 1677 to 2262; a parsed
// time outside that window is rejected rather than allowed to overflow.
constexpr int64_t kMaxSeconds =
    std::chrono::duration_cast<seconds>(TimePoint::duration::max()).count() - 1;
constexpr int64_t kMinSeconds =
    std::chrono::duration_cast<seconds>(TimePoint::duration::min()).count() + 1;
// "now+COUNT": more digits than this cannot give a time inside the window in any unit.
constexpr int64_t kMaxCount = 1'000'000'000'000;

Error InvalidTime(std::string_view text) {
  return Error(ErrorCode::kInvalidTimeValue,
               fmt::format("Invalid time specification \"{}\"", text));
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// True when `s` starts with `word`, ignoring case.
bool StartsWithIgnoreCase(std::string_view s, std::string_view word) {
  if (s.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(s[i]) != word[i]) return false;
  }
  return true;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// The calendar's next day. Not now+24h, which skips a day when the clock springs forward
// just before midnight.
void NextDay(int* year, int* month, int* mday) {
  if (++*mday <= DaysInMonth(*year, *month)) return;
  *mday = 1;
  if (++*month <= 12) return;
  *month = 1;
  ++*year;
}

// A calendar date and a time of day as the user wrote them; -1 where not given yet.
struct Fields {
  int year = -1;   // e.g. 2025
  int month = -1;  // 1..12
  int mday = -1;   // 1..31
  int hour = -1;
  int minute = 0;
  int second = 0;
};

bool ToLocal(int64_t t, struct tm* out) {
  time_t tt = static_cast<time_t>(t);
  return localtime_r(&tt, out) != nullptr;
}

// The local wall-clock time `f` as seconds since the epoch. A time that falls in a
// daylight-saving gap is moved the way mktime moves it.
bool FromLocal(const Fields& f, int64_t* out) {
  struct tm tm = {};
  tm.tm_year = f.year - 1900;
  tm.tm_mon = f.month - 1;
  tm.tm_mday = f.mday;
  tm.tm_hour = f.hour;
  tm.tm_min = f.minute;
  tm.tm_sec = f.second;
  tm.tm_isdst = -1;
  tm.tm_wday = -1;  // mktime sets it only on success: -1 is also a valid time_t.
  time_t t = mktime(&tm);
  if (tm.tm_wday < 0) return false;
  *out = static_cast<int64_t>(t);
  return true;
}

// One pass over the text, left to right, in the manner of Slurm's parse_time(): each
// token sets the date, the time of day, or both, and a later token overrides an earlier
// one ("now+1day 16:00" is 16:00 tomorrow). Blanks, '-' and 'T' separate tokens.
class Parser {
 public:
  Parser(std::string_view text, int64_t now, const struct tm& now_tm)
      : s_(text), now_(now), now_tm_(now_tm) {}

  bool Run(int64_t* out) {
    if (StartsWithIgnoreCase(s_, "uts")) return ParseUnixTimestamp(out);
    while (pos_ < s_.size()) {
      if (!ParseToken()) return false;
    }
    return Resolve(out);
  }

 private:
  bool ParseToken() {
    std::string_view rest = s_.substr(pos_);
    struct TimeOfDay {
      std::string_view name;
      int hour;
    };
    static constexpr std::array<TimeOfDay, 5> kTimesOfDay = {{
        {"midnight", 0},
        {"noon", 12},
        {"elevenses", 11},
        {"fika", 15},
        {"teatime", 16},
    }};
    for (const TimeOfDay& t : kTimesOfDay) {
      if (StartsWithIgnoreCase(rest, t.name)) {
        pos_ += t.name.size();
        SetTime(t.hour, 0, 0);
        return true;
      }
    }
    if (StartsWithIgnoreCase(rest, "today")) {
      pos_ += 5;
      SetDate(now_tm_.tm_year + 1900, now_tm_.tm_mon + 1, now_tm_.tm_mday);
      return true;
    }
    if (StartsWithIgnoreCase(rest, "tomorrow")) {
      pos_ += 8;
      int y = now_tm_.tm_year + 1900, m = now_tm_.tm_mon + 1, d = now_tm_.tm_mday;
      NextDay(&y, &m, &d);
      SetDate(y, m, d);
      return true;
    }
    if (StartsWithIgnoreCase(rest, "now")) {
      pos_ += 3;
      return ParseNow();
    }
    char c = rest.front();
    if (IsBlank(c) || c == '-' || c == 'T') {
      ++pos_;
      return true;
    }
    if (!IsDigit(c)) return false;
    if (At(pos_ + 1) == ':' || At(pos_ + 2) == ':') return ParseTimeOfDay();
    return ParseDate();
  }

  // now[{+|-}count[seconds|minutes|hours|days|weeks]]; nothing but blanks may follow a
  // bare "now", and nothing but blanks and digits may follow a count without a unit.
  bool ParseNow() {
    SkipBlanks();
    int64_t delta = 0;
    if (pos_ < s_.size()) {
      char sign = s_[pos_];
      if (sign != '+' && sign != '-') return false;
      ++pos_;
      if (!ParseDelta(&delta)) return false;
      if (sign == '-') delta = -delta;
    }
    int64_t t = now_ + delta;
    if (t < kMinSeconds || t > kMaxSeconds) return false;
    struct tm tm;
    if (!ToLocal(t, &tm)) return false;
    SetDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    SetTime(tm.tm_hour, tm.tm_min, tm.tm_sec);
    // Exactly now+delta, even when the wall clock of that instant is ambiguous.
    exact_ = true;
    exact_value_ = t;
    return true;
  }

  bool ParseDelta(int64_t* delta) {
    SkipBlanks();
    int64_t count = 0;
    size_t start = pos_;
    while (pos_ < s_.size() && IsDigit(s_[pos_])) {
      count = count * 10 + (s_[pos_++] - '0');
      if (count > kMaxCount) return false;
    }
    if (pos_ == start) return false;
    SkipBlanks();
    if (pos_ == s_.size()) {
      *delta = count;  // seconds by default
      return true;
    }
    struct Unit {
      std::string_view name;
      int64_t seconds;
    };
    // Plural before singular so that the longer name is consumed.
    static constexpr std::array<Unit, 10> kUnits = {{
        {"seconds", 1},
        {"second", 1},
        {"minutes", 60},
        {"minute", 60},
        {"hours", 3600},
        {"hour", 3600},
        {"days", 86400},
        {"day", 86400},
        {"weeks", 7 * 86400},
        {"week", 7 * 86400},
    }};
    for (const Unit& u : kUnits) {
      if (StartsWithIgnoreCase(s_.substr(pos_), u.name)) {
        pos_ += u.name.size();
        *delta = count * u.seconds;  // at most 1e12 * 604800 < 2^63
        return true;
      }
    }
    return false;
  }

  // HH:MM[:SS][AM|PM], one or two digits of hour, two of minute and second.
  bool ParseTimeOfDay() {
    int hour = 0, minute = 0, second = 0;
    if (!Number(1, 2, &hour) || hour > 23 || !Expect(':')) return false;
    if (!Number(2, 2, &minute) || minute > 59) return false;
    if (At(pos_) == ':') {
      ++pos_;
      if (!Number(2, 2, &second) || second > 59) return false;
    }
    SkipBlanks();
    std::string_view rest = s_.substr(pos_);
    if (StartsWithIgnoreCase(rest, "pm")) {
      // 12PM is noon; 13PM and later are nonsense.
      if (hour > 12) return false;
      if (hour < 12) hour += 12;
      pos_ += 2;
    } else if (StartsWithIgnoreCase(rest, "am")) {
      if (hour > 12) return false;
      if (hour == 12) hour = 0;  // 12AM is midnight
      pos_ += 2;
    }
    SetTime(hour, minute, second);
    return true;
  }

  // YYYY-MM-DD, or MM[/.]DD[[/.]YY] where a two-digit year is 20YY.
  bool ParseDate() {
    int year = -1, month = 0, mday = 0;
    if (At(pos_ + 4) == '-' && At(pos_ + 7) == '-') {
      if (!Number(4, 4, &year) || !Expect('-') || !Number(2, 2, &month) || !Expect('-') ||
          !Number(1, 2, &mday)) {
        return false;
      }
    } else {
      if (!Number(1, 2, &month)) return false;
      if (At(pos_) == '/' || At(pos_) == '.') ++pos_;
      if (!Number(1, 2, &mday)) return false;
      if (At(pos_) == '/' || At(pos_) == '.') ++pos_;
      if (IsDigit(At(pos_))) {
        if (!Number(2, 2, &year)) return false;
        year += 2000;
      }
    }
    if (month < 1 || month > 12 || mday < 1 || mday > 31) return false;
    // The day is checked against the month once the year is known (Resolve).
    SetDate(year, month, mday);
    return true;
  }

  // uts<seconds since the epoch>, as Slurm takes it (at least 1000000).
  bool ParseUnixTimestamp(int64_t* out) {
    pos_ = 3;
    int64_t v = 0;
    if (pos_ == s_.size()) return false;
    for (; pos_ < s_.size(); ++pos_) {
      if (!IsDigit(s_[pos_])) return false;
      v = v * 10 + (s_[pos_] - '0');
      if (v > kMaxSeconds) return false;
    }
    if (v < 1000000) return false;
    *out = v;
    return true;
  }

  // Completes the date and time the way Slurm does: a date alone means its midnight, a
  // time alone the next such time, a month and day without a year the next such day.
  bool Resolve(int64_t* out) {
    if (exact_) {
      *out = exact_value_;
      return true;
    }
    if (f_.hour < 0 && f_.month < 0) return false;  // nothing given
    if (f_.hour < 0) {
      f_.hour = f_.minute = f_.second = 0;
    }
    auto now_time = std::make_tuple(now_tm_.tm_hour, now_tm_.tm_min, now_tm_.tm_sec);
    auto time = std::make_tuple(f_.hour, f_.minute, f_.second);
    if (f_.month < 0) {
      f_.year = now_tm_.tm_year + 1900;
      f_.month = now_tm_.tm_mon + 1;
      f_.mday = now_tm_.tm_mday;
      if (time <= now_time) NextDay(&f_.year, &f_.month, &f_.mday);
    }
    if (f_.year < 0) {
      auto now_date = std::make_tuple(now_tm_.tm_mon + 1, now_tm_.tm_mday);
      auto date = std::make_tuple(f_.month, f_.mday);
      f_.year = now_tm_.tm_year + 1900;
      if (std::tuple_cat(date, time) <= std::tuple_cat(now_date, now_time)) ++f_.year;
    }
    if (f_.mday > DaysInMonth(f_.year, f_.month)) return false;
    int64_t t = 0;
    if (!FromLocal(f_, &t)) return false;
    if (t < kMinSeconds || t > kMaxSeconds) return false;
    *out = t;
    return true;
  }

  void SetDate(int year, int month, int mday) {
    f_.year = year;
    f_.month = month;
    f_.mday = mday;
    exact_ = false;
  }
  void SetTime(int hour, int minute, int second) {
    f_.hour = hour;
    f_.minute = minute;
    f_.second = second;
    exact_ = false;
  }

  char At(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }
  void SkipBlanks() {
    while (pos_ < s_.size() && IsBlank(s_[pos_])) ++pos_;
  }
  bool Expect(char c) {
    if (At(pos_) != c) return false;
    ++pos_;
    return true;
  }
  // Between min_digits and max_digits decimal digits.
  bool Number(int min_digits, int max_digits, int* out) {
    int v = 0, n = 0;
    while (n < max_digits && IsDigit(At(pos_))) {
      v = v * 10 + (s_[pos_++] - '0');
      ++n;
    }
    *out = v;
    return n >= min_digits;
  }

  std::string_view s_;
  size_t pos_ = 0;
  int64_t now_;
  struct tm now_tm_;
  Fields f_;
  bool exact_ = false;
  int64_t exact_value_ = 0;
};

}  // namespace

Result<TimePoint> ParseTimeSpec(std::string_view text, TimePoint now) {
  int64_t now_s = std::chrono::floor<seconds>(now).time_since_epoch().count();
  struct tm now_tm;
  if (!ToLocal(now_s, &now_tm)) return InvalidTime(text);
  int64_t t = 0;
  Parser parser(text, now_s, now_tm);
  if (!parser.Run(&t)) return InvalidTime(text);
  return TimePoint(seconds(t));
}

std::string FormatIsoTime(TimePoint t) {
  int64_t s = std::chrono::floor<seconds>(t).time_since_epoch().count();
  struct tm tm;
  if (!ToLocal(s, &tm)) return "Unknown";
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace drover
