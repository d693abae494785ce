// The Thrust runner on CUDA through the package's theon::cuda: the same
// program as thrust_main.cpp, built by nvcc with the flags the target carries
// (run where a GPU is).
#include "thrust_main.cpp"
