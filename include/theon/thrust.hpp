#pragma once
// theon with the Thrust runner: everything in theon.hpp, plus theon::on(policy, f),
// theon::device_array, theon::device_ref, theon::to_device and theon::to_host.
// Needs Thrust (CUDA's CCCL or libthrust-dev); under g++ it needs a host
// device system: -DTHRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_OMP -fopenmp.
#include "theon/theon.hpp"
#include "theon/api/thrust_function.hpp"
