"""citybrief: a logistics brief of a city from its Wikipedia article."""

__version__ = "0.1.0"
