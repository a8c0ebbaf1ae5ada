"""fazhi — an open platform for the systems a province uses to govern by law."""

__version__ = "0.1.0"
