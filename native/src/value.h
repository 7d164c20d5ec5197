// A tiny JSON-like tree: the checks build their results off the JS thread, the worker converts the
// tree to JS objects on the main thread.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fp {

struct Value {
  enum Kind { Null, Num, Int, Bool, Str, Arr, Obj } kind = Null;
  double num = 0;
  int64_t i = 0;
  bool b = false;
  std::string s;
  std::vector<std::string> keys;  // Obj only, parallel to items
  std::vector<Value> items;       // Arr and Obj

  static Value number(double v) { Value x; x.kind = Num; x.num = v; return x; }
  static Value integer(int64_t v) { Value x; x.kind = Int; x.i = v; return x; }
  static Value boolean(bool v) { Value x; x.kind = Bool; x.b = v; return x; }
  static Value string(std::string v) { Value x; x.kind = Str; x.s = std::move(v); return x; }
  static Value array() { Value x; x.kind = Arr; return x; }
  static Value object() { Value x; x.kind = Obj; return x; }
  static Value strings(const std::vector<std::string>& v) {
    Value x = array();
    for (const auto& s : v) x.items.push_back(string(s));
    return x;
  }

  Value& set(const std::string& key, Value v) {
    keys.push_back(key);
    items.push_back(std::move(v));
    return *this;
  }
  Value& push(Value v) {
    items.push_back(std::move(v));
    return *this;
  }
};

}  // namespace fp
