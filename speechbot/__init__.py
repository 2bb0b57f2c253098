"""speechbot: question answering over Chinese government speeches."""

__version__ = "0.1.0"
