#!/usr/bin/env bash
# Installs what solkit builds with, from Debian's packages, when it is missing; checks for the
# CUDA toolkit at /usr/local/cuda (present on every machine of this kind; without it the CUDA
# parts are skipped and the host parts still build and test).
set -euo pipefail
packages=(cmake ninja-build g++ libboost-dev nlohmann-json3-dev catch2 libbenchmark-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "solkit setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ -x /usr/local/cuda/bin/nvcc ] || command -v nvcc >/dev/null; then
  echo "solkit setup: dependencies present; nvcc found"
else
  echo "solkit setup: dependencies present; no nvcc, so CUDA targets will be skipped"
fi
