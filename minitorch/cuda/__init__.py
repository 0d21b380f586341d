"""torch.cuda on a CPU-only build: nothing is available, and saying so is the API."""


def is_available():
    return False


def device_count():
    return 0
