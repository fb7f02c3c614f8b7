"""Study import speed: PubMed XML, then a CSV naming half the same papers by DOI only.

    python benchmarks/study_import.py [--studies 5000] [--db-url URL]

Generates `--studies` synthetic PubMed articles (one XML file) and a CSV whose rows name
every other paper by its DOI alone (plus a TLDR), imports both with `import_study_files`
(the code behind `hairlink import studies`) into a fresh database (a temporary SQLite file
unless `--db-url` names another, e.g. PostgreSQL; its study tables are emptied first), and
prints one JSON line: records per second for each file, and the final row count, which must
equal `--studies` (the merge rule: a paper met twice is one row).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from models.db import make_engine  # noqa: E402
from models.entities import Study, StudyTreatment, ThreadStudyLink  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from scrapers.importers.studies import import_study_files  # noqa: E402


def write_files(folder: Path, count: int) -> tuple[Path, Path]:
    xml = folder / "pubmed.xml"
    with xml.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?><PubmedArticleSet>\n')
        for n in range(count):
            out.write(
                f"<PubmedArticle><MedlineCitation><PMID>{98000000 + n}</PMID><Article>"
                f"<Journal><Title>Synthetic Journal {n % 40}</Title><JournalIssue><PubDate>"
                f"<Year>{1995 + n % 30}</Year><Month>{1 + n % 12}</Month></PubDate>"
                f"</JournalIssue></Journal><ArticleTitle>Study {n} of <i>minoxidil</i>"
                f"</ArticleTitle><Abstract><AbstractText Label=\"RESULTS\">Result {n}."
                f"</AbstractText></Abstract><AuthorList><Author><LastName>Name{n}</LastName>"
                f"<ForeName>A</ForeName></Author></AuthorList></Article><MeshHeadingList>"
                f"<MeshHeading><DescriptorName>Alopecia</DescriptorName></MeshHeading>"
                f"</MeshHeadingList></MedlineCitation><PubmedData><ArticleIdList>"
                f"<ArticleId IdType=\"doi\">10.5555/bench.{n}</ArticleId></ArticleIdList>"
                f"</PubmedData></PubmedArticle>\n")
        out.write("</PubmedArticleSet>\n")
    csv = folder / "curated.csv"
    with csv.open("w", encoding="utf-8") as out:
        out.write("doi,tldr\n")
        for n in range(0, count, 2):
            out.write(f"https://doi.org/10.5555/BENCH.{n},Curated summary {n}.\n")
    return xml, csv


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=5000)
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.db_url or f"sqlite:///{folder / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        with Session(engine) as session:
            for table in (ThreadStudyLink, StudyTreatment, Study):
                session.execute(delete(table))
            session.commit()
        xml, csv = write_files(folder, args.studies)
        result: dict[str, object] = {"studies": args.studies, "db": engine.dialect.name}
        with Session(engine) as session:
            for label, path in (("pubmed_xml", xml), ("csv_doi_only", csv)):
                start = time.perf_counter()
                report = import_study_files(session, [path])
                seconds = time.perf_counter() - start
                result[f"{label}_records"] = report.read
                result[f"{label}_seconds"] = round(seconds, 2)
                result[f"{label}_per_second"] = round(report.read / seconds)
            rows = session.scalar(select(func.count()).select_from(Study))
            with_tldr = session.scalar(select(func.count()).select_from(Study)
                                       .where(Study.tldr.is_not(None)))
        result["rows"] = rows
        result["rows_with_tldr"] = with_tldr
        result["one_row_per_paper"] = rows == args.studies
        engine.dispose()
    print(json.dumps(result))
    return 0 if result["one_row_per_paper"] else 1


if __name__ == "__main__":
    sys.exit(main())
