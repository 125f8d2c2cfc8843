"""Where the document model runs: `CODING_ASSISTANT_DEVICE` = auto (a GPU when torch sees
one, else the CPU), cpu, cuda, cuda:N or mps. Only the ingest asks: answering never loads
torch."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable

from assistant.errors import SettingsError

AUTO = "auto"
CPU = "cpu"
_EXPLICIT = re.compile(r"cpu|cuda(:\d+)?|mps")


class DeviceError(SettingsError):
    """CODING_ASSISTANT_DEVICE names no device, or one this machine does not have."""


def choose_device(setting: str, cuda_available: Callable[[], bool] | None = None,
                  mps_available: Callable[[], bool] | None = None) -> str:
    """The device to embed documents on. An explicit GPU that is not there is an error, not
    a silent fall back to a build many times slower."""
    wanted = setting.strip().lower() or AUTO
    cuda = cuda_available or _torch_cuda_available
    mps = mps_available or _torch_mps_available
    if wanted == AUTO:
        if cuda():
            return "cuda"
        return "mps" if mps() else CPU
    if not _EXPLICIT.fullmatch(wanted):
        raise DeviceError(f"CODING_ASSISTANT_DEVICE={setting!r} is not a device: use auto, "
                          "cpu, cuda, cuda:N or mps")
    if wanted.startswith("cuda") and not cuda():
        raise DeviceError(f"CODING_ASSISTANT_DEVICE={setting!r}, but torch sees no CUDA GPU: "
                          "use auto or cpu")
    if wanted == "mps" and not mps():
        raise DeviceError("CODING_ASSISTANT_DEVICE='mps', but torch sees no Apple GPU: use "
                          "auto or cpu")
    return wanted


# A CUDA (or ROCm) GPU needs its driver's device files; without them torch is not imported
# just to learn there is none (seconds at the start of every CPU build).
_GPU_DRIVER_FILES = ("/dev/nvidiactl", "/proc/driver/nvidia", "/dev/kfd")


def _torch_cuda_available() -> bool:
    if not any(os.path.exists(path) for path in _GPU_DRIVER_FILES):
        return False
    import torch

    return bool(torch.cuda.is_available())


def _torch_mps_available() -> bool:
    if sys.platform != "darwin":
        return False
    import torch

    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())
