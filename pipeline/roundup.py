"""News round-ups: articles made of separate short news items, each under its own subheading.

CCTV's 国内联播快讯 and similar news-in-brief pages put several unrelated items into one article. What
is true of one item (its place, its theme) is not what the article is about, so the stages that judge a
whole article (its dominant place, its themes) ask here whether it is a round-up and where its items
start. A story told in sections (the seed page's articles, a profile with 一、二、三 parts) opens with a
lead paragraph before its first subheading; a round-up starts with its first item.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

__all__ = ["ROUNDUP_ITEMS", "ROUNDUP_ITEM_CHARS", "ROUNDUP_LEAD_CHARS", "item_of", "roundup_items"]

ROUNDUP_ITEMS = (3, 30)  # subheadings of this many short items make an article a round-up of separate news
ROUNDUP_ITEM_CHARS = 400  # characters per item, at most (on average)
ROUNDUP_LEAD_CHARS = 40  # the first item starts within this many characters (a dateline at most, no lead)
HEADING_GAP = 2  # subheadings this close (a line break) are one heading printed over several lines


def roundup_items(subheadings: Sequence[tuple[int, int]], text_len: int) -> list[int]:
    """The start offsets of a round-up's items, or ``[]`` when the article is not a round-up.

    ``subheadings`` are the (start, end) spans of the article's subheadings. Subheadings with no text between
    them are one heading (a headline printed over several lines at the top of an item). The article is a
    round-up when it has between 3 and 30 items, they average at most 400 characters, and the first starts
    within the first 40 characters (no lead paragraph)."""
    starts: list[int] = []
    last_end = None
    for start, end in sorted(subheadings):
        if last_end is None or start - last_end > HEADING_GAP:
            starts.append(start)
        last_end = end
    if not ROUNDUP_ITEMS[0] <= len(starts) <= ROUNDUP_ITEMS[1]:
        return []
    if text_len / (len(starts) + 1) > ROUNDUP_ITEM_CHARS or starts[0] > ROUNDUP_LEAD_CHARS:
        return []
    return starts


def item_of(items: Sequence[int], offset: int) -> int:
    """The number of the round-up item holding ``offset`` (1 for the first item; 0 before it)."""
    return bisect_right(items, offset)
