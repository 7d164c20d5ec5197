// thermal_drift (D.4): the same hashing work timed cold, after a sustained hot phase, and again hot;
// plus the OS thermal sensors where they are readable (Linux /sys/class/thermal).
#include <string>
#include <vector>

#include "checks.h"
#include "platform.h"
#include "sha256.h"
#include "stats.h"
#include "timers.h"

namespace fp {
namespace {

std::vector<double> timed_samples(Context& ctx, const LoopTimer& timer, int samples, double progress_from) {
  std::vector<double> out;
  uint8_t msg[32] = {'t', 'h', 'e', 'r', 'm'}, digest[32];
  for (int i = 0; i < samples; i++) {
    if (ctx.cancelled()) throw CancelledError{};
    uint64_t t0 = timer.ticks();
    for (int k = 0; k < ctx.params.thermal_hashes; k++) {
      sha256(msg, sizeof msg, digest);
      msg[0] = digest[0];  // chain the hashes so none can be skipped
    }
    double ns = timer.to_ns(timer.ticks() - t0);
    out.push_back(ns);
    ctx.pace(static_cast<uint64_t>(ns));
    if (i % 10 == 0) ctx.progress("thermal_drift", progress_from + 0.33 * i / samples);
  }
  keep(msg[0]);
  return out;
}

// Millidegrees Celsius of every readable /sys/class/thermal zone, as "<type>:<temp>" pairs.
Value read_sensors() {
  Value zones = Value::array();
#if defined(__linux__)
  for (int i = 0; i < 32; i++) {
    std::string base = "/sys/class/thermal/thermal_zone" + std::to_string(i) + "/";
    bool ok = false;
    std::string temp = trim(read_text_file(base + "temp", &ok));
    if (!ok) continue;
    Value z = Value::object();
    z.set("zone", Value::string(trim(read_text_file(base + "type"))))
        .set("millicelsius", Value::integer(std::strtoll(temp.c_str(), nullptr, 10)));
    zones.push(z);
  }
#endif
  return zones;
}

}  // namespace

Value check_thermal_drift(Context& ctx) {
  LoopTimer timer;
  Value sensors_cold = read_sensors();
  std::vector<double> cold = timed_samples(ctx, timer, ctx.params.thermal_samples, 0.0);

  // hot phase: continuous hashing for the configured time, checked for cancellation every slice
  uint8_t msg[32] = {'h', 'o', 't'}, digest[32];
  uint64_t start = now_ns(), budget = static_cast<uint64_t>(ctx.params.thermal_hot_ms) * 1000000ull;
  while (now_ns() - start < budget) {
    if (ctx.cancelled()) throw CancelledError{};
    uint64_t slice0 = now_ns();
    for (int k = 0; k < 2000; k++) {
      sha256(msg, sizeof msg, digest);
      msg[0] = digest[0];
    }
    ctx.pace(now_ns() - slice0);
    ctx.progress("thermal_drift", 0.33 + 0.33 * static_cast<double>(now_ns() - start) / budget);
  }
  keep(msg[0]);

  std::vector<double> hot = timed_samples(ctx, timer, ctx.params.thermal_samples, 0.66);
  Value out = Value::object();
  out.set("cold_avg_ns", Value::number(mean_of(cold)))
      .set("hot_avg_ns", Value::number(mean_of(hot)))
      .set("cold_stdev", Value::number(stdev_of(cold)))
      .set("hot_stdev", Value::number(stdev_of(hot)))
      .set("hot_phase_ms", Value::integer(ctx.params.thermal_hot_ms))
      .set("sensors_cold", sensors_cold)
      .set("sensors_hot", read_sensors());
  return out;
}

}  // namespace fp
