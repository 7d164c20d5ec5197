// simd_identity (D.4): SIMD features read from the hardware or the OS, never inferred from the arch:
// CPUID on x86, getauxval(AT_HWCAP) on Linux ARM/PowerPC, sysctl on macOS, IsProcessorFeaturePresent
// on Windows ARM.
#include <string>
#include <vector>

#include "checks.h"
#include "platform.h"

#if defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <intrin.h>
#endif
#if (defined(__x86_64__) || defined(__i386__)) && !defined(_WIN32)
#include <cpuid.h>
#endif
#if defined(__linux__)
#include <sys/auxv.h>
#endif
#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif

namespace fp {
namespace {

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
uint64_t xgetbv0() {
#if defined(_WIN32)
  return _xgetbv(0);
#else
  uint32_t lo, hi;
  __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
#endif
}

void x86_flags(std::vector<std::string>& flags, std::string& source) {
  unsigned r[4];
  cpuid_count(0, 0, r);
  unsigned max_leaf = r[0];
  cpuid_count(1, 0, r);
  unsigned ecx = r[2], edx = r[3];
  if (edx & (1u << 25)) flags.push_back("sse");
  if (edx & (1u << 26)) flags.push_back("sse2");
  if (ecx & (1u << 0)) flags.push_back("pni");
  if (ecx & (1u << 9)) flags.push_back("ssse3");
  if (ecx & (1u << 19)) flags.push_back("sse4_1");
  if (ecx & (1u << 20)) flags.push_back("sse4_2");
  bool os_avx = (ecx & (1u << 27)) && ((xgetbv0() & 0x6) == 0x6);
  if ((ecx & (1u << 28)) && os_avx) flags.push_back("avx");
  if (max_leaf >= 7) {
    cpuid_count(7, 0, r);
    if ((r[1] & (1u << 5)) && os_avx) flags.push_back("avx2");
    if (r[1] & (1u << 16)) flags.push_back("avx512f");
  }
  source = "cpuid";
}
#endif

#if defined(__linux__) && (defined(__aarch64__) || defined(__arm__))
void arm_linux_flags(std::vector<std::string>& flags, std::string& source) {
  unsigned long hw = getauxval(AT_HWCAP);
#if defined(__aarch64__)
  // bit numbers from the kernel's arch/arm64/include/uapi/asm/hwcap.h
  const struct { int bit; const char* name; } bits[] = {{0, "fp"}, {1, "asimd"}, {3, "aes"}, {4, "pmull"}, {5, "sha1"},
                                                        {6, "sha2"}, {7, "crc32"}, {9, "fphp"}, {10, "asimdhp"},
                                                        {20, "asimddp"}, {22, "sve"}};
#else
  const struct { int bit; const char* name; } bits[] = {{12, "neon"}, {6, "vfp"}, {13, "vfpv3"}, {16, "vfpv4"}};
#endif
  for (const auto& b : bits)
    if (hw & (1ul << b.bit)) flags.push_back(b.name);
  source = "getauxval(AT_HWCAP)";
}
#endif

#if defined(__linux__) && (defined(__powerpc__) || defined(__powerpc64__))
void ppc_linux_flags(std::vector<std::string>& flags, std::string& source) {
  unsigned long hw = getauxval(AT_HWCAP);
  if (hw & 0x10000000ul) flags.push_back("altivec");
  if (hw & 0x00000080ul) flags.push_back("vsx");
  source = "getauxval(AT_HWCAP)";
}
#endif

#if defined(__APPLE__)
bool sysctl_on(const char* name) {
  int v = 0;
  size_t len = sizeof v;
  return sysctlbyname(name, &v, &len, nullptr, 0) == 0 && v != 0;
}
void apple_flags(std::vector<std::string>& flags, std::string& source) {
  const struct { const char* key; const char* name; } keys[] = {
      {"hw.optional.neon", "neon"},           {"hw.optional.arm.FEAT_FP16", "fp16"},
      {"hw.optional.arm.FEAT_DotProd", "dotprod"}, {"hw.optional.arm.FEAT_BF16", "bf16"},
      {"hw.optional.arm.FEAT_I8MM", "i8mm"},  {"hw.optional.arm.FEAT_SME", "sme"},
      {"hw.optional.altivec", "altivec"}};
  for (const auto& k : keys)
    if (sysctl_on(k.key)) flags.push_back(k.name);
  source = "sysctl";
}
#endif

}  // namespace

Value check_simd_identity(Context& ctx) {
  (void)ctx;
  std::vector<std::string> flags;
  std::string source = "none";
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
  x86_flags(flags, source);
#elif defined(__APPLE__)
  apple_flags(flags, source);
#elif defined(__linux__) && (defined(__aarch64__) || defined(__arm__))
  arm_linux_flags(flags, source);
#elif defined(__linux__) && (defined(__powerpc__) || defined(__powerpc64__))
  ppc_linux_flags(flags, source);
#elif defined(_WIN32) && defined(_M_ARM64)
  if (IsProcessorFeaturePresent(PF_ARM_NEON_INSTRUCTIONS_AVAILABLE)) flags.push_back("neon");
  source = "IsProcessorFeaturePresent";
#endif
  Value out = Value::object();
  out.set("arch", Value::string(machine_name())).set("flags", Value::strings(flags)).set("source", Value::string(source));
  return out;
}

}  // namespace fp
