// instruction_jitter (D.4): timing spread of dependent integer, floating-point and branch chains.
#include <cmath>
#include <vector>

#include "checks.h"
#include "stats.h"
#include "timers.h"

namespace fp {
namespace {

template <typename Work>
std::vector<double> sample(Context& ctx, const LoopTimer& timer, int samples, Work work) {
  std::vector<double> out;
  out.reserve(samples);
  for (int i = 0; i < samples; i++) {
    if (ctx.cancelled()) throw CancelledError{};
    uint64_t t0 = timer.ticks();
    work(i);
    double ns = timer.to_ns(timer.ticks() - t0);
    out.push_back(ns);
    ctx.pace(static_cast<uint64_t>(ns));
  }
  return out;
}

}  // namespace

Value check_instruction_jitter(Context& ctx) {
  LoopTimer timer;
  const int n = ctx.params.jitter_samples, ops = ctx.params.jitter_ops;
  auto ints = sample(ctx, timer, n, [ops](int seed) {
    uint64_t x = static_cast<uint64_t>(seed) + 1;
    for (int k = 0; k < ops; k++) {
      x = (x * 7 + 13) % 65537;
      keep(x);
    }
  });
  ctx.progress("instruction_jitter", 0.33);
  auto fps = sample(ctx, timer, n, [ops](int seed) {
    double x = 1.0 + seed;
    for (int k = 0; k < ops; k++) {
      x = std::fmod(x * 1.414 + 0.5, 1000.0);
      keep(x);
    }
  });
  ctx.progress("instruction_jitter", 0.66);
  auto branches = sample(ctx, timer, n, [ops](int seed) {
    uint64_t s = 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(seed + 1);
    uint64_t taken = 0;
    for (int k = 0; k < ops; k++) {
      s ^= s << 13;
      s ^= s >> 7;
      s ^= s << 17;
      if (s & 1) taken += 3;  // data-dependent, unpredictable branch
      else taken ^= 5;
      keep(taken);
    }
  });
  Value out = Value::object();
  out.set("int_avg_ns", Value::number(mean_of(ints)))
      .set("fp_avg_ns", Value::number(mean_of(fps)))
      .set("branch_avg_ns", Value::number(mean_of(branches)))
      .set("int_stdev", Value::number(stdev_of(ints)))
      .set("fp_stdev", Value::number(stdev_of(fps)))
      .set("branch_stdev", Value::number(stdev_of(branches)));
  return out;
}

}  // namespace fp
