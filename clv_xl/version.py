"""The version of clv_xl, in one place (the package, the CLI and the add-in's settings read it)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
