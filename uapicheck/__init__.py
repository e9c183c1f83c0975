"""uapicheck: a Linux UAPI header compatibility linter."""

__version__ = "0.1.0"
