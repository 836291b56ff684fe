"""The clause labels, where extractors and ``check`` have always imported them from."""

from planc.parse.labels import CN_NUMERAL, Label, chinese_to_int, match_label

__all__ = ["CN_NUMERAL", "Label", "chinese_to_int", "match_label"]
