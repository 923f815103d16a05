#pragma once
// The project's only macros: everything that needs the preprocessor lives here.

/// Marks a function callable from host and device code. nvcc rejects a call from device code to
/// a constexpr function that is not __host__ __device__ (DESIGN.md, nvcc facts); one macro keeps
/// `--expt-relaxed-constexpr` out of the build.
#if defined(__CUDACC__)
#define SOLKIT_HOST_DEVICE __host__ __device__
#else
#define SOLKIT_HOST_DEVICE
#endif

#define SOLKIT_VERSION_MAJOR 0
#define SOLKIT_VERSION_MINOR 1
#define SOLKIT_VERSION_PATCH 0
