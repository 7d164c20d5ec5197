#include "measure_worker.h"

#include <chrono>
#include <cstring>
#include <thread>

#include "platform.h"
#include "timers.h"

namespace fp {

void Context::pace(uint64_t work_ns) {
  if (params.duty >= 1.0 || work_ns == 0) return;
  double rest = static_cast<double>(work_ns) * (1.0 - params.duty) / params.duty;
  std::this_thread::sleep_for(std::chrono::nanoseconds(static_cast<int64_t>(rest)));
}

namespace {

Napi::Value to_js(Napi::Env env, const Value& v) {
  switch (v.kind) {
    case Value::Num: return Napi::Number::New(env, v.num);
    case Value::Int: return Napi::Number::New(env, static_cast<double>(v.i));
    case Value::Bool: return Napi::Boolean::New(env, v.b);
    case Value::Str: return Napi::String::New(env, v.s);
    case Value::Arr: {
      Napi::Array a = Napi::Array::New(env, v.items.size());
      for (size_t i = 0; i < v.items.size(); i++) a.Set(static_cast<uint32_t>(i), to_js(env, v.items[i]));
      return a;
    }
    case Value::Obj: {
      Napi::Object o = Napi::Object::New(env);
      for (size_t i = 0; i < v.items.size(); i++) o.Set(v.keys[i], to_js(env, v.items[i]));
      return o;
    }
    default: return env.Null();
  }
}

using CheckFn = Value (*)(Context&);
struct Named {
  const char* name;
  CheckFn fn;
};
const Named kChecks[] = {{"clock_drift", check_clock_drift},   {"cache_timing", check_cache_timing},
                         {"simd_identity", check_simd_identity}, {"thermal_drift", check_thermal_drift},
                         {"instruction_jitter", check_instruction_jitter}, {"anti_emulation", check_anti_emulation}};

}  // namespace

MeasureWorker::MeasureWorker(Napi::Function& on_done, Napi::Function& on_progress, Params params, std::vector<std::string> checks,
                             std::shared_ptr<std::atomic<bool>> cancelled)
    : Napi::AsyncProgressWorker<ProgressTick>(on_done, "rustchain_fingerprint"),
      params_(params),
      checks_(std::move(checks)),
      cancelled_(std::move(cancelled)) {
  if (!on_progress.IsEmpty() && on_progress.IsFunction()) on_progress_ = Napi::Persistent(on_progress);
}

void MeasureWorker::Execute(const ExecutionProgress& progress) {
  pin_current_thread();
  Context ctx(params_, *cancelled_, [&progress](const char* check, double fraction) {
    ProgressTick t{};
    std::strncpy(t.check, check, sizeof t.check - 1);
    t.fraction = fraction;
    progress.Send(&t, 1);
  });
  LoopTimer loop_timer;
  Value checks = Value::object(), elapsed = Value::object();
  try {
    for (const auto& c : kChecks) {
      bool wanted = checks_.empty();
      for (const auto& w : checks_) wanted = wanted || w == c.name;
      if (!wanted) continue;
      if (ctx.cancelled()) throw CancelledError{};
      uint64_t t0 = now_ns();
      checks.set(c.name, c.fn(ctx));
      elapsed.set(c.name, Value::integer(static_cast<int64_t>(now_ns() - t0)));
      ctx.progress(c.name, 1.0);
    }
  } catch (const CancelledError&) {
    SetError("cancelled");
    return;
  } catch (const std::exception& e) {
    SetError(e.what());
    return;
  }
  result_ = Value::object();
  result_.set("checks", checks)
      .set("elapsed_ns", elapsed)
      .set("timer", Value::string(timer_name()))
      .set("loop_timer", Value::string(loop_timer.name()))
      .set("machine", Value::string(machine_name()));
}

void MeasureWorker::OnProgress(const ProgressTick* ticks, size_t count) {
  if (on_progress_.IsEmpty()) return;
  Napi::HandleScope scope(Env());
  for (size_t i = 0; i < count; i++)
    on_progress_.Call({Napi::String::New(Env(), ticks[i].check), Napi::Number::New(Env(), ticks[i].fraction)});
}

void MeasureWorker::OnOK() {
  Napi::HandleScope scope(Env());
  Callback().Call({Env().Null(), to_js(Env(), result_)});
}

void MeasureWorker::OnError(const Napi::Error& e) {
  Napi::HandleScope scope(Env());
  Callback().Call({e.Value(), Env().Undefined()});
}

}  // namespace fp
