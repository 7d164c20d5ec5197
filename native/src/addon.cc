// Module entry: measure(options, onProgress, onDone) -> { cancel() }, plus a few static facts.
#include <napi.h>

#include "measure_worker.h"
#include "platform.h"
#include "timers.h"

namespace {

int int_option(const Napi::Object& o, const char* key, int fallback, int lo, int hi) {
  if (!o.Has(key)) return fallback;
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) return fallback;
  int x = v.As<Napi::Number>().Int32Value();
  return x < lo ? lo : (x > hi ? hi : x);
}

Napi::Value Measure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsObject() || !info[2].IsFunction()) {
    Napi::TypeError::New(env, "measure(options, onProgress, onDone)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object o = info[0].As<Napi::Object>();
  fp::Params p;
  p.drift_samples = int_option(o, "driftSamples", p.drift_samples, 3, 10000);
  p.drift_hashes = int_option(o, "driftHashes", p.drift_hashes, 1, 1000000);
  p.cache_runs = int_option(o, "cacheRuns", p.cache_runs, 1, 10000);
  p.cache_loads = int_option(o, "cacheLoads", p.cache_loads, 16, 10000000);
  p.sweep_runs = int_option(o, "sweepRuns", p.sweep_runs, 1, 10000);
  p.thermal_samples = int_option(o, "thermalSamples", p.thermal_samples, 2, 10000);
  p.thermal_hashes = int_option(o, "thermalHashes", p.thermal_hashes, 1, 1000000);
  p.thermal_hot_ms = int_option(o, "thermalHotMs", p.thermal_hot_ms, 0, 600000);
  p.jitter_samples = int_option(o, "jitterSamples", p.jitter_samples, 2, 100000);
  p.jitter_ops = int_option(o, "jitterOps", p.jitter_ops, 1, 10000000);
  if (o.Has("duty") && o.Get("duty").IsNumber()) {
    double d = o.Get("duty").As<Napi::Number>().DoubleValue();
    p.duty = d < 0.05 ? 0.05 : (d > 1.0 ? 1.0 : d);
  }
  std::vector<std::string> checks;
  if (o.Has("checks") && o.Get("checks").IsArray()) {
    Napi::Array a = o.Get("checks").As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++)
      if (a.Get(i).IsString()) checks.push_back(a.Get(i).As<Napi::String>().Utf8Value());
  }
  Napi::Function on_progress = info[1].IsFunction() ? info[1].As<Napi::Function>() : Napi::Function();
  Napi::Function on_done = info[2].As<Napi::Function>();
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  auto* worker = new fp::MeasureWorker(on_done, on_progress, p, checks, cancelled);
  worker->Queue();
  Napi::Object handle = Napi::Object::New(env);
  handle.Set("cancel", Napi::Function::New(env, [cancelled](const Napi::CallbackInfo&) { cancelled->store(true); }));
  return handle;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("measure", Napi::Function::New(env, Measure));
  exports.Set("machine", Napi::String::New(env, fp::machine_name()));
  exports.Set("timer", Napi::String::New(env, fp::timer_name()));
  exports.Set("cycleCounter", Napi::String::New(env, fp::cycle_counter_name()));
  exports.Set("version", Napi::Number::New(env, 1));
  return exports;
}

}  // namespace

NODE_API_MODULE(rustchain_fingerprint, Init)
