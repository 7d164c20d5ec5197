// clock_drift (D.4): the same SHA-256 workload timed repeatedly; real oscillators and caches make the
// durations vary, a synthetic clock does not.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>

#include "checks.h"
#include "sha256.h"
#include "stats.h"
#include "timers.h"

namespace fp {

Value check_clock_drift(Context& ctx) {
  const int n = ctx.params.drift_samples;
  LoopTimer timer;
  std::vector<double> durations;
  durations.reserve(n);
  uint8_t digest[32] = {0};
  for (int i = 0; i < n; i++) {
    if (ctx.cancelled()) throw CancelledError{};
    char text[32] = {0};
    std::snprintf(text, sizeof text, "drift_%d", i);
    uint8_t msg[16] = {0};  // the 16-byte ASCII message, zero padded (D.4)
    std::memcpy(msg, text, sizeof msg);
    uint64_t t0 = timer.ticks();
    for (int k = 0; k < ctx.params.drift_hashes; k++) {
      sha256(msg, 16, digest);
      keep(digest[0]);
    }
    double ns = timer.to_ns(timer.ticks() - t0);
    durations.push_back(ns);
    if (i % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ctx.pace(static_cast<uint64_t>(ns));
    if (i % 20 == 0) ctx.progress("clock_drift", static_cast<double>(i) / n);
  }
  std::vector<double> diffs;
  for (size_t i = 1; i < durations.size(); i++) diffs.push_back(durations[i] - durations[i - 1]);
  double mean = mean_of(durations), stdev = stdev_of(durations);
  Value out = Value::object();
  out.set("mean_ns", Value::number(mean))
      .set("stdev_ns", Value::number(stdev))
      .set("cv", Value::number(mean > 0 ? stdev / mean : 0))
      .set("drift_stdev", Value::number(stdev_of(diffs)))
      .set("samples", Value::integer(n))
      .set("timer", Value::string(timer.name()));
  return out;
}

}  // namespace fp
