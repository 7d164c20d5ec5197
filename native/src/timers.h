// Monotonic nanosecond timers of PROTOCOL.md D.4, best first per platform, plus the optional cycle /
// time-base counter used only to tell the caller which counter backs the loops (never mixed with ns).
#pragma once
#include <cstdint>

#if defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <intrin.h>
#elif defined(__APPLE__)
#include <mach/mach_time.h>
#include <time.h>
#else
#include <time.h>
#endif

namespace fp {

#if defined(_WIN32)
inline uint64_t now_ns() {
  static LARGE_INTEGER freq = [] {
    LARGE_INTEGER f;
    QueryPerformanceFrequency(&f);
    return f;
  }();
  LARGE_INTEGER c;
  QueryPerformanceCounter(&c);
  // split to avoid overflow of c * 1e9 for long uptimes
  uint64_t q = static_cast<uint64_t>(c.QuadPart) / freq.QuadPart;
  uint64_t r = static_cast<uint64_t>(c.QuadPart) % freq.QuadPart;
  return q * 1000000000ull + r * 1000000000ull / freq.QuadPart;
}
inline const char* timer_name() { return "QueryPerformanceCounter"; }
#elif defined(__APPLE__)
inline uint64_t now_ns() { return clock_gettime_nsec_np(CLOCK_UPTIME_RAW); }
inline const char* timer_name() { return "CLOCK_UPTIME_RAW"; }
#else
inline uint64_t now_ns() {
  struct timespec ts;
#if defined(CLOCK_MONOTONIC_RAW)
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
#else
  clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}
#if defined(CLOCK_MONOTONIC_RAW)
inline const char* timer_name() { return "CLOCK_MONOTONIC_RAW"; }
#else
inline const char* timer_name() { return "CLOCK_MONOTONIC"; }
#endif
#endif

// Raw cycle / time-base counter where the architecture has a user-readable one; 0 otherwise.
inline uint64_t cycle_counter() {
#if defined(_M_X64) || defined(_M_IX86)
  unsigned int aux;
  return __rdtscp(&aux);
#elif defined(__x86_64__) || defined(__i386__)
  uint32_t lo, hi, aux;
  __asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
  return (static_cast<uint64_t>(hi) << 32) | lo;
#elif defined(__aarch64__)
  uint64_t v;
  __asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v));
  return v;
#elif defined(__powerpc64__) || defined(__ppc64__)
  uint64_t tb;
  __asm__ __volatile__("mftb %0" : "=r"(tb));
  return tb;
#elif defined(__powerpc__) || defined(__ppc__)
  // 32-bit PowerPC: read upper/lower time base until the upper half is stable
  uint32_t hi, lo, hi2;
  do {
    __asm__ __volatile__("mftbu %0" : "=r"(hi));
    __asm__ __volatile__("mftb %0" : "=r"(lo));
    __asm__ __volatile__("mftbu %0" : "=r"(hi2));
  } while (hi != hi2);
  return (static_cast<uint64_t>(hi) << 32) | lo;
#else
  return 0;
#endif
}

inline const char* cycle_counter_name() {
#if defined(_M_X64) || defined(_M_IX86) || defined(__x86_64__) || defined(__i386__)
  return "rdtscp";
#elif defined(__aarch64__)
  return "cntvct_el0";
#elif defined(__powerpc__) || defined(__ppc__) || defined(__powerpc64__)
  return "timebase";
#else
  return "none";
#endif
}

// Keeps the compiler from proving a value unused or constant across a timed loop.
template <typename T>
inline void keep(T const& v) {
#if defined(_MSC_VER)
  static volatile T sink;
  sink = v;
#else
  __asm__ __volatile__("" : : "r,m"(v) : "memory");
#endif
}

}  // namespace fp

namespace fp {

// The loop timer: the cycle / time-base counter when it is usable (present, advancing, and
// calibrated against the monotonic clock), else the monotonic clock itself. Values are ns.
class LoopTimer {
 public:
  LoopTimer() { calibrate(); }
  uint64_t ticks() const { return use_cycles_ ? cycle_counter() : now_ns(); }
  double to_ns(uint64_t dticks) const { return use_cycles_ ? static_cast<double>(dticks) * ns_per_tick_ : static_cast<double>(dticks); }
  bool uses_cycles() const { return use_cycles_; }
  const char* name() const { return use_cycles_ ? cycle_counter_name() : timer_name(); }
  double ns_per_tick() const { return ns_per_tick_; }

 private:
  void calibrate() {
    uint64_t c0 = cycle_counter();
    uint64_t t0 = now_ns();
    if (c0 == 0) return;
    // ~5 ms busy wait: long enough for a stable ratio, short enough to stay inside the time budget
    uint64_t t1;
    do {
      t1 = now_ns();
    } while (t1 - t0 < 5000000ull);
    uint64_t c1 = cycle_counter();
    if (c1 <= c0) return;
    double ratio = static_cast<double>(t1 - t0) / static_cast<double>(c1 - c0);
    // a counter slower than 1 MHz is too coarse for sub-microsecond loops
    if (ratio > 0.0 && ratio < 1000.0) {
      use_cycles_ = true;
      ns_per_tick_ = ratio;
    }
  }
  bool use_cycles_ = false;
  double ns_per_tick_ = 1.0;
};

}  // namespace fp
