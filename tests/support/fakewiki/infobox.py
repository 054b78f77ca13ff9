"""Infobox HTML the fake server returns for ``action=parse&section=0``.

It copies the markup real Wikipedia renders for ``{{Infobox settlement}}`` (class
``infobox ib-settlement vcard``, ``mergedtoprow``/``mergedrow`` rows, ``infobox-label`` and
``infobox-data`` cells, bullets as ``&#160;•&#160;``, reference superscripts), so the
parser is tested against the real shape rather than one of our own invention.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo


def utc_offset_label(tz_name: str, month: int) -> tuple[str, str]:
    """('UTC−06:00', 'CST') for the zone in January (month=1) or July (month=7)."""
    moment = datetime(2024, month, 15, 12, tzinfo=ZoneInfo(tz_name))
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}", moment.tzname() or ""


def infobox_html(title: str, population: int, tz_name: str) -> str:
    winter, winter_abbr = utc_offset_label(tz_name, 1)
    summer, summer_abbr = utc_offset_label(tz_name, 7)
    rows = [
        '<tr><th colspan="2" class="infobox-above"><div class="fn org">'
        f"{escape(title)}</div></th></tr>",
        '<tr class="mergedtoprow"><th colspan="2" class="infobox-header">Population'
        '<div class="ib-settlement-fn"> (2020)<sup id="cite_ref-1" class="reference">'
        '<a href="#cite_note-1">[1]</a></sup></div></th></tr>',
        '<tr class="mergedrow"><th scope="row" class="infobox-label">&#160;•&#160;'
        f'<a href="/wiki/City" title="City">City</a></th><td class="infobox-data">'
        f'{population:,}<sup class="reference"><a href="#cite_note-2">[2]</a></sup></td></tr>',
        '<tr class="mergedrow"><th scope="row" class="infobox-label">&#160;•&#160;Density'
        '</th><td class="infobox-data">4,600/km<sup>2</sup></td></tr>',
        '<tr class="mergedtoprow"><th scope="row" class="infobox-label">'
        '<a href="/wiki/Time_zone" title="Time zone">Time zone</a></th>'
        f'<td class="infobox-data">{winter} (<a href="/wiki/Tz">{winter_abbr}</a>)</td></tr>',
    ]
    if summer != winter:
        rows.append(
            '<tr class="mergedrow"><th scope="row" class="infobox-label"><span class="nowrap">'
            '&#160;•&#160;Summer (<a href="/wiki/Daylight_saving_time">DST</a>)</span></th>'
            f'<td class="infobox-data">{summer} ({summer_abbr})</td></tr>'
        )
    body = "".join(rows)
    return (
        '<div class="mw-content-ltr mw-parser-output" lang="en" dir="ltr">'
        '<div class="shortdescription nomobile noexcerpt noprint searchaux" '
        f'style="display:none">City in {escape(title)}</div>'
        f'<table class="infobox ib-settlement vcard"><tbody>{body}</tbody></table>'
        f"<p><b>{escape(title)}</b> is a city.</p></div>"
    )
