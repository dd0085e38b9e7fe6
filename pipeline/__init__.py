"""carepack: patient-education texts turned into translated, accessible material."""

__version__ = "0.1.0"
