"""planc — compile Chinese government plan documents into typed, validated data."""

__version__ = "0.1.0"
