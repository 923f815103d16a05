#pragma once
// What a solkit launcher returns: success, or the reason nothing was launched, naming the
// definition and the argument at fault. Launchers check every argument before touching the GPU,
// so an error never leaves a half-written output.

#include <string>
#include <string_view>

namespace solkit {

enum class launch_error_code : int {
  ok = 0,
  null_pointer,
  misaligned_pointer,
  bad_size,
  unsupported_device,
  cuda_error,
};

struct launch_status {
  launch_error_code code = launch_error_code::ok;
  std::string message;  // "<definition>: <argument> ..." when not ok

  bool ok() const { return code == launch_error_code::ok; }

  static launch_status failure(launch_error_code code, std::string_view definition,
                               std::string_view argument, std::string_view why) {
    return {code, std::string{definition} + ": " + std::string{argument} + " " + std::string{why}};
  }
};

}  // namespace solkit
