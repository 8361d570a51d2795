"""The command groups of `xxgk`; each module exposes ``register(app)`` (see ``archive.cli.COMMAND_MODULES``)."""

__all__: list[str] = []
