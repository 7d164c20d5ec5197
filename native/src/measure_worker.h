// Runs the checks on a worker thread (Napi::AsyncProgressWorker) with progress and cancellation.
#pragma once
#include <napi.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "checks.h"

namespace fp {

struct ProgressTick {
  char check[32];
  double fraction;
};

class MeasureWorker : public Napi::AsyncProgressWorker<ProgressTick> {
 public:
  MeasureWorker(Napi::Function& on_done, Napi::Function& on_progress, Params params, std::vector<std::string> checks,
                std::shared_ptr<std::atomic<bool>> cancelled);
  void Execute(const ExecutionProgress& progress) override;
  void OnProgress(const ProgressTick* ticks, size_t count) override;
  void OnOK() override;
  void OnError(const Napi::Error& e) override;

 private:
  Napi::FunctionReference on_progress_;
  Params params_;
  std::vector<std::string> checks_;
  std::shared_ptr<std::atomic<bool>> cancelled_;
  Value result_;
};

}  // namespace fp
