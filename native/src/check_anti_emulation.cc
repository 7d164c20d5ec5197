// anti_emulation (D.4): local evidence of a hypervisor, emulator or container. Reads files, CPUID,
// sysctl or the registry and runs systemd-detect-virt where present. Never touches the network.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "checks.h"
#include "platform.h"

#if defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#endif
#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif
#if (defined(__x86_64__) || defined(__i386__)) && !defined(_WIN32)
#include <cpuid.h>
#endif

namespace fp {
namespace {

struct Findings {
  std::set<std::string> indicators;
  std::vector<std::string> paths;
  void add(const std::string& source, const std::string& match) { indicators.insert(source + ":" + match); }
};

// D.4 Linux DMI list (the reference list minus google / microsoft corporation / oracle, plus
// `virtual machine`)
const char* const kDmiTokens[] = {"vmware",  "virtualbox", "virtual machine", "kvm",       "qemu",      "xen",
                                  "hyperv",  "hyper-v",    "parallels",       "bhyve",     "amazon",    "amazon ec2",
                                  "ec2",     "nitro",      "google compute engine", "gce", "azure",     "digitalocean",
                                  "linode",  "akamai",     "vultr",           "hetzner",   "oraclecloud", "ovh",
                                  "ovhcloud", "alibaba",   "alicloud",        "bochs",     "innotek",   "seabios"};

void match_tokens(Findings& f, const std::string& source, const std::string& text, const char* const* tokens, size_t count) {
  std::string t = lower(text);
  for (size_t i = 0; i < count; i++)
    if (t.find(tokens[i]) != std::string::npos) f.add(source, tokens[i]);
}

#if (defined(__x86_64__) || defined(__i386__)) && !defined(_WIN32)
// CPUID leaf 1 ECX bit 31 and the vendor leaf 0x40000000 (e.g. "KVMKVMKVM", "VMwareVMware").
void cpuid_hypervisor(Findings& f) {
  f.paths.push_back("cpuid:0x1.ecx[31]");
  unsigned a, b, c, d;
  __cpuid(1, a, b, c, d);
  if (!(c & (1u << 31))) return;
  f.add("cpuid", "hypervisor_bit");
  f.paths.push_back("cpuid:0x40000000");
  __cpuid(0x40000000, a, b, c, d);
  char vendor[13] = {0};
  std::memcpy(vendor, &b, 4);
  std::memcpy(vendor + 4, &c, 4);
  std::memcpy(vendor + 8, &d, 4);
  std::string v;
  for (char ch : std::string(vendor))
    if (ch > ' ' && ch < 127) v.push_back(ch);
  if (!v.empty()) f.add("cpuid_vendor", lower(v));
}
#endif

#if defined(__linux__)
void linux_sources(Findings& f) {
  const char* dmi[] = {"product_name", "sys_vendor", "board_vendor", "board_name", "bios_vendor", "chassis_vendor",
                       "chassis_asset_tag"};
  for (const char* name : dmi) {
    std::string path = std::string("/sys/class/dmi/id/") + name;
    f.paths.push_back(path);
    bool ok = false;
    std::string text = read_text_file(path, &ok);
    if (ok) match_tokens(f, std::string("dmi:") + name, text, kDmiTokens, sizeof kDmiTokens / sizeof *kDmiTokens);
  }
  f.paths.push_back("/proc/scsi/scsi");
  match_tokens(f, "scsi", read_text_file("/proc/scsi/scsi"), kDmiTokens, sizeof kDmiTokens / sizeof *kDmiTokens);

  f.paths.push_back("/proc/cpuinfo");
  std::string cpuinfo = read_text_file("/proc/cpuinfo");
  size_t pos = 0;
  while ((pos = cpuinfo.find("flags", pos)) != std::string::npos) {
    size_t eol = cpuinfo.find('\n', pos);
    std::string line = cpuinfo.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    if ((" " + line + " ").find(" hypervisor ") != std::string::npos) {
      f.add("cpuinfo", "hypervisor");
      break;
    }
    pos = eol == std::string::npos ? cpuinfo.size() : eol;
  }

  f.paths.push_back("/sys/hypervisor/type");
  std::string hv = trim(read_text_file("/sys/hypervisor/type"));
  if (!hv.empty()) f.add("sys_hypervisor", lower(hv));

  f.paths.push_back("systemd-detect-virt");
  const char* argv[] = {"systemd-detect-virt", nullptr};
  std::string virt = trim(command_output(argv));
  if (!virt.empty() && virt != "none") f.add("systemd_detect_virt", lower(virt));

  f.paths.push_back("/.dockerenv");
  if (file_exists("/.dockerenv")) f.add("container", "dockerenv");
  f.paths.push_back("/proc/1/cgroup");
  std::string cg = lower(read_text_file("/proc/1/cgroup"));
  for (const char* t : {"docker", "kubepods", "lxc", "containerd"})
    if (cg.find(t) != std::string::npos) {
      f.add("container", "cgroup");
      break;
    }
  for (const char* name : {"KUBERNETES_SERVICE_HOST", "container"}) {
    f.paths.push_back(std::string("env:") + name);
    if (std::getenv(name) != nullptr) f.indicators.insert(std::string("ENV:") + name);
  }
}
#endif

#if defined(__APPLE__)
std::string sysctl_string(const char* name) {
  char buf[1024];
  size_t len = sizeof buf;
  if (sysctlbyname(name, buf, &len, nullptr, 0) != 0 || len == 0) return "";
  return std::string(buf, strnlen(buf, len));
}
void apple_sources(Findings& f) {
  f.paths.push_back("sysctl:kern.hv_vmm_present");
  int vmm = 0;
  size_t len = sizeof vmm;
  if (sysctlbyname("kern.hv_vmm_present", &vmm, &len, nullptr, 0) == 0 && vmm == 1) f.indicators.insert("sysctl:kern.hv_vmm_present");
  f.paths.push_back("sysctl:machdep.cpu.features");
  std::string feats = " " + sysctl_string("machdep.cpu.features") + " ";
  if (feats.find(" VMM ") != std::string::npos) f.add("cpu_features", "vmm");
  f.paths.push_back("ioreg:IOPlatformExpertDevice");
  const char* argv[] = {"/usr/sbin/ioreg", "-rd1", "-c", "IOPlatformExpertDevice", nullptr};
  std::string out = lower(command_output(argv));
  std::string fields;
  size_t pos = 0;
  while ((pos = out.find('\n', pos)) != std::string::npos) {
    size_t next = out.find('\n', pos + 1);
    std::string line = out.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
    if (line.find("\"model\"") != std::string::npos || line.find("\"manufacturer\"") != std::string::npos) fields += line + "\n";
    pos += 1;
  }
  const char* tokens[] = {"vmware", "parallels", "virtualbox", "qemu", "virtualmac"};
  match_tokens(f, "ioreg", fields, tokens, 5);
}
#endif

#if defined(_WIN32)
std::string reg_string(const char* key, const char* value) {
  char buf[512];
  DWORD len = sizeof buf;
  if (RegGetValueA(HKEY_LOCAL_MACHINE, key, value, RRF_RT_REG_SZ, nullptr, buf, &len) != ERROR_SUCCESS) return "";
  return std::string(buf);
}
// The SMBIOS strings WMI serves as Win32_ComputerSystem / Win32_BIOS, read from the registry copy.
void windows_sources(Findings& f) {
  const char* bios = "HARDWARE\\DESCRIPTION\\System\\BIOS";
  const char* cs_tokens[] = {"vmware", "virtualbox", "virtual machine", "kvm", "qemu", "xen", "parallels", "bhyve"};
  const char* bios_tokens[] = {"vmware", "virtualbox", "qemu", "seabios", "bochs", "innotek", "xen"};
  f.paths.push_back("HKLM\\HARDWARE\\DESCRIPTION\\System\\BIOS\\SystemManufacturer");
  f.paths.push_back("HKLM\\HARDWARE\\DESCRIPTION\\System\\BIOS\\SystemProductName");
  std::string cs = reg_string(bios, "SystemManufacturer") + "\n" + reg_string(bios, "SystemProductName");
  match_tokens(f, "wmi_computersystem", cs, cs_tokens, 8);
  f.paths.push_back("HKLM\\HARDWARE\\DESCRIPTION\\System\\BIOS\\BIOSVendor");
  f.paths.push_back("HKLM\\HARDWARE\\DESCRIPTION\\System\\BIOS\\BIOSVersion");
  std::string b = reg_string(bios, "BIOSVendor") + "\n" + reg_string(bios, "BIOSVersion");
  match_tokens(f, "wmi_bios", b, bios_tokens, 7);
}
#endif

}  // namespace

Value check_anti_emulation(Context& ctx) {
  (void)ctx;
  Findings f;
#if (defined(__x86_64__) || defined(__i386__)) && !defined(_WIN32)
  // Not on Windows: the hypervisor bit is set on hosts running Virtualization-Based Security (D.4)
  cpuid_hypervisor(f);
#endif
#if defined(__linux__)
  linux_sources(f);
#elif defined(__APPLE__)
  apple_sources(f);
#elif defined(_WIN32)
  windows_sources(f);
#endif
  std::vector<std::string> indicators(f.indicators.begin(), f.indicators.end());  // std::set: sorted, unique
  Value out = Value::object();
  out.set("vm_indicators", Value::strings(indicators)).set("paths_checked", Value::strings(f.paths));
  return out;
}

}  // namespace fp
