// The six checks of PROTOCOL.md D.4. Each returns raw measurements (unrounded); the TypeScript side
// rounds and shapes them into the A.6.4 fingerprint JSON so the addon and the fallback share one format.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "value.h"

namespace fp {

struct Params {
  int drift_samples = 200;
  int drift_hashes = 5000;
  int cache_runs = 100;
  int cache_loads = 10000;
  int sweep_runs = 10;  // per size of the extra 4 KiB .. beyond-LLC sweep
  int thermal_samples = 50;
  int thermal_hashes = 10000;
  int thermal_hot_ms = 2000;
  int jitter_samples = 100;
  int jitter_ops = 10000;
  double duty = 1.0;  // CPU budget: fraction of wall time spent measuring (0.05 .. 1)
};

// Shared by the checks: cancellation, progress reporting and duty-cycle pacing.
class Context {
 public:
  Context(const Params& p, std::atomic<bool>& cancelled, std::function<void(const char*, double)> progress)
      : params(p), cancelled_(cancelled), progress_(std::move(progress)) {}
  const Params params;
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  void progress(const char* check, double fraction) { progress_(check, fraction); }
  // Called between samples: when duty < 1, sleeps so that work / (work + sleep) ≈ duty.
  void pace(uint64_t work_ns);

 private:
  std::atomic<bool>& cancelled_;
  std::function<void(const char*, double)> progress_;
};

struct CancelledError {};

Value check_clock_drift(Context& ctx);
Value check_cache_timing(Context& ctx);
Value check_simd_identity(Context& ctx);
Value check_thermal_drift(Context& ctx);
Value check_instruction_jitter(Context& ctx);
Value check_anti_emulation(Context& ctx);

}  // namespace fp
