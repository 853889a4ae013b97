"""Writing files so that a reader never sees half of one."""

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, fsync, then rename over it (atomic on POSIX): a crash leaves
    the old file or the new one, never a half-written file under the final name."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
