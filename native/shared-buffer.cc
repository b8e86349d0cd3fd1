// manycore's second native helper: POSIX shared memory handed to JavaScript as a real
// SharedArrayBuffer, plus futex wait/wake (blocking and promise-based) on such buffers.
//
// Why a second module, on the V8 API: every shared object (SharedArray, Lock, Queue…) is built
// over SharedArrayBuffers, and Node-API can only return an ArrayBuffer. With a SharedArrayBuffer
// over a MAP_SHARED mapping, all of that code runs unchanged in every process. What does not
// work across processes is Atomics.wait/notify (V8 keeps its own waiter list per process), so
// waiting on these buffers goes through the kernel futex here. The V8 API is not ABI-stable:
// this module is rebuilt per Node major, which `npm ci` does (native/build.mjs).
//
//   map(name, sizeBytes, create)        -> SharedArrayBuffer over the whole object
//   describe(sab)                        -> name of the object it maps, or undefined
//   wait(sab, byteOffset, expected, ms)  -> "ok" | "not-equal" | "timed-out" (blocks)
//   waitAsync(sab, byteOffset, expected, ms, callback(outcome))   (a helper thread blocks)
//   wake(sab, byteOffset, count)         -> number woken
#include <node.h>
#include <uv.h>
#include <v8.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <sys/stat.h>

#include "shm-common.h"

namespace {

using v8::Context;
using v8::FunctionCallbackInfo;
using v8::Isolate;
using v8::Local;
using v8::SharedArrayBuffer;
using v8::String;
using v8::Value;

// Every live mapping of this process, by base address, so a buffer that reached another thread
// (postMessage shares the backing store) is still recognised there. The deleter may run on any
// thread, hence the mutex.
std::mutex g_mutex;
std::map<uintptr_t, std::string> g_names;

void Throw(Isolate* isolate, const std::string& message) {
  isolate->ThrowException(v8::Exception::Error(String::NewFromUtf8(isolate, message.c_str()).ToLocalChecked()));
}

void ThrowErrno(Isolate* isolate, const char* what, int error) {
  Throw(isolate, std::string(what) + ": " + std::strerror(error));
}

void Unmap(void* data, size_t length, void*) {
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_names.erase(reinterpret_cast<uintptr_t>(data));
  }
  munmap(data, length);
}

void Map(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  if (args.Length() < 3 || !args[0]->IsString() || !args[1]->IsNumber() || !args[2]->IsBoolean()) {
    Throw(isolate, "map(name: string, sizeBytes: number > 0, create: boolean)");
    return;
  }
  String::Utf8Value name_utf8(isolate, args[0]);
  const std::string name(*name_utf8);
  const double size_number = args[1].As<v8::Number>()->Value();
  const bool create = args[2].As<v8::Boolean>()->Value();
  if (!(size_number > 0) || size_number > 9007199254740991.0) {
    Throw(isolate, "map: sizeBytes must be a positive safe integer");
    return;
  }
  const size_t size = static_cast<size_t>(size_number);
  const manycore::ShmOpenResult opened = manycore::ShmOpen(name, size, create);
  if (opened.fd < 0) {
    ThrowErrno(isolate, opened.failed, opened.error);
    return;
  }
  const int fd = opened.fd;
  if (!create) {
    struct stat info {};
    if (fstat(fd, &info) != 0 || static_cast<size_t>(info.st_size) < size) {
      close(fd);
      Throw(isolate, "map: the shared memory object is smaller than sizeBytes");
      return;
    }
  }
  void* address = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int map_error = errno;
  close(fd);  // the mapping stays valid without the descriptor
  if (address == MAP_FAILED) {
    if (create) shm_unlink(name.c_str());
    ThrowErrno(isolate, "mmap", map_error);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_names[reinterpret_cast<uintptr_t>(address)] = name;
  }
  std::unique_ptr<v8::BackingStore> store = SharedArrayBuffer::NewBackingStore(address, size, Unmap, nullptr);
  args.GetReturnValue().Set(SharedArrayBuffer::New(isolate, std::move(store)));
}

void Describe(const FunctionCallbackInfo<Value>& args) {
  if (args.Length() < 1 || !args[0]->IsSharedArrayBuffer()) return;
  const auto base = reinterpret_cast<uintptr_t>(args[0].As<SharedArrayBuffer>()->Data());
  std::string name;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto found = g_names.find(base);
    if (found == g_names.end()) return;
    name = found->second;
  }
  args.GetReturnValue().Set(String::NewFromUtf8(args.GetIsolate(), name.c_str()).ToLocalChecked());
}

// The int32 at `byteOffset` of a SharedArrayBuffer, checked for bounds and alignment; also
// returns the backing store so an asynchronous waiter can keep the memory mapped.
int32_t* WordAt(const FunctionCallbackInfo<Value>& args, std::shared_ptr<v8::BackingStore>* keep) {
  Isolate* isolate = args.GetIsolate();
  if (!args[0]->IsSharedArrayBuffer() || !args[1]->IsNumber()) {
    Throw(isolate, "expected a SharedArrayBuffer and a byteOffset");
    return nullptr;
  }
  Local<SharedArrayBuffer> buffer = args[0].As<SharedArrayBuffer>();
  const double offset = args[1].As<v8::Number>()->Value();
  if (!(offset >= 0) || static_cast<uint64_t>(offset) % 4 != 0 ||
      static_cast<uint64_t>(offset) + 4 > buffer->ByteLength()) {
    Throw(isolate, "byteOffset must be in bounds and a multiple of 4");
    return nullptr;
  }
  if (keep != nullptr) *keep = buffer->GetBackingStore();
  return reinterpret_cast<int32_t*>(static_cast<char*>(buffer->Data()) + static_cast<uint64_t>(offset));
}

void Wait(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  if (args.Length() < 4) {
    Throw(isolate, "wait(buffer, byteOffset, expected, timeoutMs)");
    return;
  }
  int32_t* word = WordAt(args, nullptr);
  if (word == nullptr) return;
  const int32_t expected = args[2]->Int32Value(isolate->GetCurrentContext()).FromMaybe(0);
  const double timeout_ms = args[3]->NumberValue(isolate->GetCurrentContext()).FromMaybe(-1);
  int failure = 0;
  const char* outcome = manycore::FutexWait(word, expected, timeout_ms, &failure);
  if (outcome == nullptr) {
    ThrowErrno(isolate, "futex wait", failure);
    return;
  }
  args.GetReturnValue().Set(String::NewFromUtf8(isolate, outcome).ToLocalChecked());
}

void Wake(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  if (args.Length() < 3) {
    Throw(isolate, "wake(buffer, byteOffset, count)");
    return;
  }
  int32_t* word = WordAt(args, nullptr);
  if (word == nullptr) return;
  const double count = args[2]->NumberValue(isolate->GetCurrentContext()).FromMaybe(0);
  const long woken = manycore::FutexWake(word, count);
  if (woken < 0) {
    ThrowErrno(isolate, "futex wake", errno);
    return;
  }
  args.GetReturnValue().Set(static_cast<double>(woken));
}

// ---- waitAsync: a helper thread blocks in the futex; the loop thread is told through uv_async.

struct PerEnvironment;

struct AsyncWait {
  uv_async_t async;  // first member: the handle's address is the struct's
  PerEnvironment* owner;
  Isolate* isolate;
  v8::Global<v8::Function> callback;
  v8::Global<Context> context;
  node::async_context async_context;
  v8::Global<v8::Object> resource;
  std::shared_ptr<v8::BackingStore> store;  // keeps the mapping alive while the thread waits
  int32_t* word;
  int32_t expected;
  double timeout_ms;
  std::atomic<const char*> outcome{nullptr};
  std::atomic<bool> cancelled{false};
  std::atomic<bool> done{false};  // set after outcome/failure, so the cleanup hook may read them
  int failure = 0;
  std::thread thread;
};

// Waits still pending in one Node environment (the main thread or one worker thread). A worker
// that stops while a wait is pending must not leave a thread that later touches its loop.
struct PerEnvironment {
  std::set<AsyncWait*> pending;
};

void OnClosed(uv_handle_t* handle) {
  auto* wait = reinterpret_cast<AsyncWait*>(handle);
  delete wait;
}

void OnWoken(uv_async_t* handle) {
  auto* wait = reinterpret_cast<AsyncWait*>(handle);
  if (wait->thread.joinable()) wait->thread.join();
  wait->owner->pending.erase(wait);
  Isolate* isolate = wait->isolate;
  {
    v8::HandleScope scope(isolate);
    Local<Context> context = wait->context.Get(isolate);
    v8::Context::Scope context_scope(context);
    const char* outcome = wait->outcome.load();
    Local<Value> argv[1] = {outcome != nullptr
                                ? Local<Value>(String::NewFromUtf8(isolate, outcome).ToLocalChecked())
                                : Local<Value>(String::NewFromUtf8(isolate, std::strerror(wait->failure)).ToLocalChecked())};
    // MakeCallback runs the microtask queue afterwards, so the promise waiting on this settles now.
    node::MakeCallback(isolate, wait->resource.Get(isolate), wait->callback.Get(isolate), 1, argv,
                       wait->async_context);
    node::EmitAsyncDestroy(isolate, wait->async_context);
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&wait->async), OnClosed);
}

void OnEnvironmentCleanup(void* data) {
  auto* env = static_cast<PerEnvironment*>(data);
  for (AsyncWait* wait : env->pending) {
    wait->cancelled = true;
    // A wake on the word ends the helper's futex wait; other waiters on it see a spurious wake,
    // which every caller tolerates (they re-check their condition).
    while (!wait->done.load()) {
      manycore::FutexWake(wait->word, INT_MAX);
      std::this_thread::yield();
    }
    if (wait->thread.joinable()) wait->thread.join();
    uv_close(reinterpret_cast<uv_handle_t*>(&wait->async), OnClosed);
  }
  env->pending.clear();
  delete env;
}

void WaitAsync(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  if (args.Length() < 5 || !args[4]->IsFunction()) {
    Throw(isolate, "waitAsync(buffer, byteOffset, expected, timeoutMs, callback)");
    return;
  }
  std::shared_ptr<v8::BackingStore> store;
  int32_t* word = WordAt(args, &store);
  if (word == nullptr) return;
  Local<Context> context = isolate->GetCurrentContext();
  auto* env = static_cast<PerEnvironment*>(args.Data().As<v8::External>()->Value());
  auto* wait = new AsyncWait();
  wait->owner = env;
  wait->isolate = isolate;
  wait->callback.Reset(isolate, args[4].As<v8::Function>());
  wait->context.Reset(isolate, context);
  Local<v8::Object> resource = v8::Object::New(isolate);
  wait->resource.Reset(isolate, resource);
  wait->async_context = node::EmitAsyncInit(isolate, resource, "manycore:futex-wait");
  wait->store = std::move(store);
  wait->word = word;
  wait->expected = args[2]->Int32Value(context).FromMaybe(0);
  wait->timeout_ms = args[3]->NumberValue(context).FromMaybe(-1);
  // An open uv_async_t keeps the event loop alive for as long as the wait lasts.
  uv_async_init(node::GetCurrentEventLoop(isolate), &wait->async, OnWoken);
  env->pending.insert(wait);
  wait->thread = std::thread([wait] {
    int failure = 0;
    const char* outcome = manycore::FutexWait(wait->word, wait->expected, wait->timeout_ms, &failure);
    wait->failure = failure;
    wait->outcome = outcome;
    wait->done = true;
    if (!wait->cancelled) uv_async_send(&wait->async);
  });
}

}  // namespace

NODE_MODULE_INIT(/* exports, module, context */) {
  Isolate* isolate = context->GetIsolate();
  auto* env = new PerEnvironment();
  node::AddEnvironmentCleanupHook(isolate, OnEnvironmentCleanup, env);
  Local<v8::External> data = v8::External::New(isolate, env);
  auto set = [&](const char* name, v8::FunctionCallback fn) {
    Local<v8::Function> function = v8::FunctionTemplate::New(isolate, fn, data)->GetFunction(context).ToLocalChecked();
    exports->Set(context, String::NewFromUtf8(isolate, name).ToLocalChecked(), function).Check();
  };
  set("map", Map);
  set("describe", Describe);
  set("wait", Wait);
  set("wake", Wake);
  set("waitAsync", WaitAsync);
}
