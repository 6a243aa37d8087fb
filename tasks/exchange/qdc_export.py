"""The codebook alone as a REFI-QDA codebook (`.qdc`): categories as non-codable codes holding codes.

The GUIDs are those of the project export, so a codebook imported first and a project imported
later meet in the other tool. No `<Sets>` is written: an empty one is invalid and the study has none.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tasks.core.files import write_bytes
from tasks.core.study import Study
from tasks.exchange.common import CODEBOOK_NS, ORIGIN, Guids, add_code_elements, schema_errors, serialise


def build_codebook(study: Study) -> etree._Element:
    """The `<CodeBook>` element of the study's codebook, checked against Codebook.xsd."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN}, nsmap={None: CODEBOOK_NS})
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    add_code_elements(codes, CODEBOOK_NS, study.codebook, Guids(study))
    problems = schema_errors(root, "Codebook.xsd")
    if problems:  # a bug in this module, never the researcher's input
        raise AssertionError(f"exported codebook is not valid: {problems[0]}")
    return root


def export_qdc(study: Study, path: Path) -> int:
    """Write the codebook to `path` (atomically); returns the number of codable codes."""
    write_bytes(path, serialise(build_codebook(study)))
    return len(study.codebook.code_ids())
