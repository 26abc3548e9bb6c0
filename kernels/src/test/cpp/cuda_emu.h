// A CPU emulation of the small part of CUDA C that the ebm4j kernels use, so that the very same
// .cu files compile with g++ (-std=c++20) and can be checked against plain references.
//
//   emu::launch(grid, block, kernel, args...)       runs blocks and threads as nested loops; for
//                                                   kernels without __syncthreads() (calling it
//                                                   there aborts).
//   emu::launch_sync(grid, block, kernel, args...)  runs one std::thread per CUDA thread of a
//                                                   block; __syncthreads() is a std::barrier.
//                                                   The same threads walk through all blocks in
//                                                   order, meeting at the barrier between blocks,
//                                                   so __shared__ (function-static) memory is
//                                                   never used by two blocks at once.
//
// What it cannot show: warp-level behaviour (no warp intrinsics are used for that reason),
// timing, memory coalescing, and the GPU's own math library (expf etc. come from glibc here).
#ifndef EBM_CUDA_EMU_H
#define EBM_CUDA_EMU_H

#include <barrier>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

struct dim3 {
    unsigned x, y, z;
    constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

inline thread_local dim3 threadIdx;
inline thread_local dim3 blockIdx;
inline thread_local dim3 blockDim;
inline thread_local dim3 gridDim;

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__ __attribute__((noinline))
#define __shared__ static
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))

namespace emu {
inline thread_local std::barrier<>* block_barrier = nullptr;
}

inline void __syncthreads() {
    if (emu::block_barrier == nullptr) {
        std::fprintf(stderr, "cuda_emu: __syncthreads() in a kernel launched with emu::launch; use emu::launch_sync\n");
        std::abort();
    }
    emu::block_barrier->arrive_and_wait();
}

namespace emu {

template <class Kernel, class... Args>
void launch(dim3 grid, dim3 block, Kernel kernel, Args... args) {
    gridDim = grid;
    blockDim = block;
    for (unsigned bz = 0; bz < grid.z; bz++)
        for (unsigned by = 0; by < grid.y; by++)
            for (unsigned bx = 0; bx < grid.x; bx++) {
                blockIdx = dim3(bx, by, bz);
                for (unsigned tz = 0; tz < block.z; tz++)
                    for (unsigned ty = 0; ty < block.y; ty++)
                        for (unsigned tx = 0; tx < block.x; tx++) {
                            threadIdx = dim3(tx, ty, tz);
                            kernel(args...);
                        }
            }
}

template <class Kernel, class... Args>
void launch_sync(dim3 grid, dim3 block, Kernel kernel, Args... args) {
    const unsigned threads = block.x * block.y * block.z;
    std::barrier<> barrier(threads);
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; t++) {
        pool.emplace_back([&, t] {
            gridDim = grid;
            blockDim = block;
            threadIdx = dim3(t % block.x, (t / block.x) % block.y, t / (block.x * block.y));
            block_barrier = &barrier;
            for (unsigned bz = 0; bz < grid.z; bz++)
                for (unsigned by = 0; by < grid.y; by++)
                    for (unsigned bx = 0; bx < grid.x; bx++) {
                        blockIdx = dim3(bx, by, bz);
                        kernel(args...);
                        barrier.arrive_and_wait();  // the next block may now reuse shared memory
                    }
            block_barrier = nullptr;
        });
    }
    for (auto& th : pool) th.join();
}

}  // namespace emu

#endif
