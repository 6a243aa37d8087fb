"""The catalog: every path of a study (`paths.Catalog`) and the readers of the records that
several stages share: the recruitment log, the consent log, the review decisions and the coded
segments, each spelled once."""

from tasks.core.catalog.paths import Catalog

__all__ = ["Catalog"]
