"""Errors the decoder raises: the caller skips the input and reports why."""


class DecodeError(ValueError):
    """The bytes are text in no encoding we can name with confidence."""


class BinaryInputError(DecodeError):
    """The bytes are not text at all (an image, an archive, an executable ...)."""
