"""The committee pack: a published report laid out as the committee reads it.

Everything comes from the report's stored payload (`PublishedReport.data`) and, for
movement, the payload of the report published before it; nothing is recomputed from live
figures. The pack has a cover, contents and five sections in the order of
`Commentary.Section`, each with its charts and tables and Finance's commentary on it. The
HTML page (`reports/pack.html`) and the PDF (`reports.pdf`) draw the same `Pack`.

The parts: `layout` (the pack and its sections, charts, tables, cells and headline figures,
as the page and the PDF draw them), `tables` (the report's stored lists as tables) and
`build` (`build_pack`, and the appendices that apps above reports add).
"""

from reports.pack.build import APPENDIX_PROVIDERS, build_pack
from reports.pack.layout import Pack, PackRow, PackTable, headline_text
from reports.pack.tables import movement_tables

__all__ = [
    "APPENDIX_PROVIDERS",
    "Pack",
    "PackRow",
    "PackTable",
    "build_pack",
    "headline_text",
    "movement_tables",
]
