// manycore's native helper for the process backend: POSIX shared memory that several processes
// map at once, and a futex wait/wake that works across them.
//
// Why native: a SharedArrayBuffer cannot be sent to a child process, and Atomics.wait refuses an
// external ArrayBuffer. Node-API caps one external buffer at 4 GiB, so a larger region comes back
// as several mappings of at most 4 GiB each (one ArrayBuffer per mapping).
//
// Plain C Node-API (no V8 API): one build works on every Node version with Node-API 8.
#include <node_api.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "shm-common.h"

namespace {

// Node-API refuses external buffers larger than this ("Cannot create a Buffer larger than
// 0x100000000 bytes").
constexpr uint64_t kMaxMappingBytes = 4ull << 30;

void ThrowErrno(napi_env env, const char* what, int error) {
  std::string message = std::string(what) + ": " + std::strerror(error);
  napi_throw_error(env, "ERR_SHM_SYSCALL", message.c_str());
}

bool GetString(napi_env env, napi_value value, std::string* out) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, nullptr, 0, &length) != napi_ok) return false;
  out->resize(length);
  return napi_get_value_string_utf8(env, value, out->data(), length + 1, &length) == napi_ok;
}

struct Mapping {
  void* address;
  size_t length;
};

void Unmap(napi_env, void*, void* hint) {
  auto* mapping = static_cast<Mapping*>(hint);
  munmap(mapping->address, mapping->length);
  delete mapping;
}

// map(name, sizeBytes, create) -> ArrayBuffer[]: each element maps the next <= 4 GiB of the
// object. `create` makes a new object (failing if the name exists); otherwise an existing one
// is opened.
napi_value Map(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  std::string name;
  double size_number = 0;
  bool create = false;
  if (argc < 3 || !GetString(env, argv[0], &name) || napi_get_value_double(env, argv[1], &size_number) != napi_ok ||
      napi_get_value_bool(env, argv[2], &create) != napi_ok || size_number <= 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "map(name: string, sizeBytes: number > 0, create: boolean)");
    return nullptr;
  }
  const uint64_t size = static_cast<uint64_t>(size_number);
  const manycore::ShmOpenResult opened = manycore::ShmOpen(name, size, create);
  if (opened.fd < 0) {
    ThrowErrno(env, opened.failed, opened.error);
    return nullptr;
  }
  const int fd = opened.fd;
  napi_value list;
  napi_create_array(env, &list);
  uint32_t index = 0;
  for (uint64_t offset = 0; offset < size; offset += kMaxMappingBytes, index += 1) {
    const size_t length = static_cast<size_t>(size - offset < kMaxMappingBytes ? size - offset : kMaxMappingBytes);
    void* address = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, static_cast<off_t>(offset));
    if (address == MAP_FAILED) {
      const int error = errno;
      close(fd);  // mappings made so far are freed by their buffers' finalizers
      ThrowErrno(env, "mmap", error);
      return nullptr;
    }
    auto* mapping = new Mapping{address, length};
    napi_value buffer;
    // On failure Node has already run the finalizer (munmap + delete): never free it again here.
    if (napi_create_external_arraybuffer(env, address, length, Unmap, mapping, &buffer) != napi_ok) {
      close(fd);
      return nullptr;  // the pending exception says why
    }
    napi_set_element(env, list, index, buffer);
  }
  close(fd);  // the mappings stay valid without the descriptor
  return list;
}

napi_value Unlink(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  std::string name;
  if (argc < 1 || !GetString(env, argv[0], &name)) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "unlink(name: string)");
    return nullptr;
  }
  napi_value result;
  napi_get_boolean(env, shm_unlink(name.c_str()) == 0, &result);
  return result;
}

// The int32 at `byteOffset` of `buffer`, checked for bounds and 4-byte alignment.
int32_t* WordAt(napi_env env, napi_value buffer, napi_value offset_value) {
  void* data = nullptr;
  size_t length = 0;
  double offset = -1;
  if (napi_get_arraybuffer_info(env, buffer, &data, &length) != napi_ok ||
      napi_get_value_double(env, offset_value, &offset) != napi_ok || offset < 0 ||
      static_cast<uint64_t>(offset) % 4 != 0 || static_cast<uint64_t>(offset) + 4 > length) {
    napi_throw_range_error(env, "ERR_INVALID_ARG", "expected an ArrayBuffer and an in-bounds byteOffset, a multiple of 4");
    return nullptr;
  }
  return reinterpret_cast<int32_t*>(static_cast<char*>(data) + static_cast<uint64_t>(offset));
}

// wait(buffer, byteOffset, expected, timeoutMs) -> "ok" | "not-equal" | "timed-out", like
// Atomics.wait. Shared (not FUTEX_PRIVATE) so a wake from another process reaches it.
napi_value Wait(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 4) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "wait(buffer, byteOffset, expected, timeoutMs)");
    return nullptr;
  }
  int32_t* word = WordAt(env, argv[0], argv[1]);
  if (word == nullptr) return nullptr;
  int32_t expected = 0;
  double timeout_ms = 0;
  napi_get_value_int32(env, argv[2], &expected);
  napi_get_value_double(env, argv[3], &timeout_ms);
  int failure = 0;
  const char* outcome = manycore::FutexWait(word, expected, timeout_ms, &failure);
  if (outcome == nullptr) {
    ThrowErrno(env, "futex wait", failure);
    return nullptr;
  }
  napi_value result;
  napi_create_string_utf8(env, outcome, NAPI_AUTO_LENGTH, &result);
  return result;
}

// wake(buffer, byteOffset, count) -> number of waiters woken, like Atomics.notify.
napi_value Wake(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 3) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "wake(buffer, byteOffset, count)");
    return nullptr;
  }
  int32_t* word = WordAt(env, argv[0], argv[1]);
  if (word == nullptr) return nullptr;
  double count = 0;
  napi_get_value_double(env, argv[2], &count);
  const long woken = manycore::FutexWake(word, count);
  if (woken < 0) {
    ThrowErrno(env, "futex wake", errno);
    return nullptr;
  }
  napi_value result;
  napi_create_int64(env, woken, &result);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor methods[] = {
      {"map", nullptr, Map, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unlink", nullptr, Unlink, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"wait", nullptr, Wait, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"wake", nullptr, Wake, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(methods) / sizeof(methods[0]), methods);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
