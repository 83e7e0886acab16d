"""The machine and the run, as RunEnvironment / MachineFingerprint / BuildInfo record them for attnbench."""

import datetime
import os
import socket
import subprocess

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))


def _read(path):
    with open(path) as handle:
        return handle.read().strip()


def physical_cores():
    """Physical cores (distinct package/core ids of online CPUs), as hwloc counts them for attnbench;
    os.cpu_count() where sysfs does not say."""
    seen = set()
    base = "/sys/devices/system/cpu"
    try:
        for entry in os.listdir(base):
            if not (entry.startswith("cpu") and entry[3:].isdigit()):
                continue
            online = os.path.join(base, entry, "online")
            if os.path.exists(online) and _read(online) == "0":
                continue
            topology = os.path.join(base, entry, "topology")
            seen.add((_read(os.path.join(topology, "physical_package_id")), _read(os.path.join(topology, "core_id"))))
    except OSError:
        seen = set()
    return len(seen) or os.cpu_count() or 1


def numa_nodes():
    try:
        nodes = [n for n in os.listdir("/sys/devices/system/node") if n.startswith("node") and n[4:].isdigit()]
    except OSError:
        return 1
    return max(1, len(nodes))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name") and ":" in line:
                    value = line.split(":", 1)[1].strip()
                    if value:
                        return value
    except OSError:
        pass
    return "unknown-cpu"


def load_average():
    try:
        return float(_read("/proc/loadavg").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def memory_available():
    """MemAvailable in bytes, or None."""
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def git_commit():
    """Short commit of the source tree these scripts live in, `-dirty` when tracked files changed."""
    def git(*arguments):
        try:
            result = subprocess.run(["git", "-C", REPO] + list(arguments), capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "unknown"
    return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def environment():
    """The run's CSV fields shared by every row."""
    cores = physical_cores()
    load = load_average()
    return {"timestamp": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "host": socket.gethostname() or "unknown-host", "cpu_model": cpu_model(), "cores": cores,
            "numa_nodes": numa_nodes(), "commit": git_commit(), "load_average": load,
            "noisy": load is not None and load > cores}
