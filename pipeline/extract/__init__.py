"""Extractors usable on any string, inside or outside the pipeline.

>>> from pipeline.extract import extract_quantities, extract_facts
"""

from .facts import Fact, FactExtractor, extract_facts
from .quantities import Quantity, extract_quantities, parse_chinese_numeral

__all__ = ["Fact", "FactExtractor", "Quantity", "extract_facts", "extract_quantities", "parse_chinese_numeral"]
