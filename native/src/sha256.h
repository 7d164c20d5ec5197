// Plain SHA-256 (FIPS 180-4) used as the fixed workload of clock_drift, thermal_drift and the
// measurement binding. Deliberately portable C++: the same work on every architecture.
#pragma once
#include <cstddef>
#include <cstdint>

namespace fp {
void sha256(const uint8_t* data, size_t len, uint8_t out[32]);
}
