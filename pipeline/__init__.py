"""govmine: text mining for Chinese grassroots-governance news.

Stages (each a module): :mod:`pipeline.ingest` reads inputs, :mod:`pipeline.clean` removes HTML and web
leftovers, :mod:`pipeline.layout` repairs PDF-extracted pages, :mod:`pipeline.split` cuts pages into
articles, :mod:`pipeline.segment` segments them into sentences and words; :mod:`pipeline.run` wires the
stages and :mod:`pipeline.writer` stores the tables described in :mod:`pipeline.schema`.
"""

__version__ = "0.1.0"
