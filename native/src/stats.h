// Statistics of D.4: arithmetic mean and sample standard deviation (n - 1).
#pragma once
#include <cmath>
#include <vector>

namespace fp {

inline double mean_of(const std::vector<double>& v) {
  if (v.empty()) return 0;
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

inline double stdev_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  double m = mean_of(v), acc = 0;
  for (double x : v) acc += (x - m) * (x - m);
  return std::sqrt(acc / static_cast<double>(v.size() - 1));
}

}  // namespace fp
