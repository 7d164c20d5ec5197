// cache_timing (D.4): dependent-load latency by pointer chasing over a random cyclic permutation of
// cache lines. The three A.6.4 levels use half of each cache's size; an extra sweep from 4 KiB to
// beyond the last-level cache shows the whole latency curve.
#include <algorithm>
#include <cstdlib>
#include <random>
#include <vector>

#include "checks.h"
#include "platform.h"
#include "timers.h"

namespace fp {
namespace {

// Builds the chase ring in `buf` (lines of `line` bytes) and returns ns per load (median of runs).
double chase_latency(Context& ctx, std::vector<char>& buf, size_t bytes, unsigned line, int runs, int loads, std::mt19937_64& rng,
                     const LoopTimer& timer) {
  size_t lines = std::max<size_t>(bytes / line, 2);
  std::vector<size_t> order(lines);
  for (size_t i = 0; i < lines; i++) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  char* base = buf.data();
  for (size_t i = 0; i < lines; i++) {
    char* from = base + order[i] * line;
    char* to = base + order[(i + 1) % lines] * line;
    *reinterpret_cast<char**>(from) = to;
  }
  char* p = base + order[0] * line;
  for (size_t i = 0; i < lines; i++) p = *reinterpret_cast<char**>(p);  // warm the level up
  std::vector<double> per_load;
  per_load.reserve(runs);
  for (int r = 0; r < runs; r++) {
    if (ctx.cancelled()) throw CancelledError{};
    uint64_t t0 = timer.ticks();
    for (int i = 0; i < loads; i += 4) {
      p = *reinterpret_cast<char**>(p);
      p = *reinterpret_cast<char**>(p);
      p = *reinterpret_cast<char**>(p);
      p = *reinterpret_cast<char**>(p);
    }
    double ns = timer.to_ns(timer.ticks() - t0);
    keep(p);
    per_load.push_back(ns / loads);
    ctx.pace(static_cast<uint64_t>(ns));
  }
  // the median resists interrupts and page-table walks that hit single runs
  std::sort(per_load.begin(), per_load.end());
  return per_load[per_load.size() / 2];
}

}  // namespace

Value check_cache_timing(Context& ctx) {
  CacheSizes sizes = cache_sizes();
  unsigned line = chase_line_bytes();
  LoopTimer timer;
  std::mt19937_64 rng(timer.ticks() ^ reinterpret_cast<uintptr_t>(&sizes));
  // Some CPUID leaves report the whole socket's L3 (hundreds of MiB on servers): the buffers are
  // capped so one core's measurement stays within memory and time limits.
  const uint64_t kMaxLevelBuffer = 32ull << 20, kMaxSweep = 64ull << 20;
  uint64_t l3_target = std::min(sizes.l3 > 0 ? sizes.l3 / 2 : sizes.l2 * 4, kMaxLevelBuffer);
  uint64_t llc = sizes.l3 > 0 ? sizes.l3 : sizes.l2;
  uint64_t sweep_max = std::min(std::max<uint64_t>(llc * 2, 32ull << 20), kMaxSweep);
  std::vector<char> buf(static_cast<size_t>(std::max<uint64_t>(sweep_max, l3_target)) + line);

  const uint64_t targets[3] = {sizes.l1d / 2, sizes.l2 / 2, l3_target};
  double lat[3];
  for (int i = 0; i < 3; i++) {
    lat[i] = chase_latency(ctx, buf, targets[i], line, ctx.params.cache_runs, ctx.params.cache_loads, rng, timer);
    ctx.progress("cache_timing", (i + 1) / 6.0);
  }

  Value sweep = Value::array();
  int steps = 0;
  for (uint64_t s = 4096; s <= sweep_max; s *= 2) steps++;
  int done = 0;
  for (uint64_t s = 4096; s <= sweep_max; s *= 2) {
    double ns = chase_latency(ctx, buf, s, line, ctx.params.sweep_runs, ctx.params.cache_loads, rng, timer);
    Value point = Value::object();
    point.set("bytes", Value::integer(static_cast<int64_t>(s))).set("ns", Value::number(ns));
    sweep.push(point);
    ctx.progress("cache_timing", 0.5 + 0.5 * (++done) / steps);
  }
  // Memory latency: the largest sweep point, well beyond the last-level cache
  double mem_ns = sweep.items.empty() ? 0 : sweep.items.back().items[1].num;

  Value out = Value::object();
  out.set("arch", Value::string(machine_name()))
      .set("l1_ns", Value::number(lat[0]))
      .set("l2_ns", Value::number(lat[1]))
      .set("l3_ns", Value::number(lat[2]))
      .set("mem_ns", Value::number(mem_ns))
      .set("l1_bytes", Value::integer(static_cast<int64_t>(sizes.l1d)))
      .set("l2_bytes", Value::integer(static_cast<int64_t>(sizes.l2)))
      .set("l3_bytes", Value::integer(static_cast<int64_t>(sizes.l3)))
      .set("line_bytes", Value::integer(line))
      .set("sizes_source", Value::string(sizes.source))
      .set("timer", Value::string(timer.name()))
      .set("sweep", sweep);
  return out;
}

}  // namespace fp
