"""sectracker: run a security tracker on China's global security activities."""

__version__ = "0.1.0"
