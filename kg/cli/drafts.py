"""The commands that draft claims from articles and score the drafts."""

from __future__ import annotations

from pathlib import Path

import click

from ..records import claims_by_kind
from .answering import emit
from .options import data_option, format_option, handle_errors, output_options


@click.command("extract")
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--published", help="Publication date (YYYY-MM-DD, YYYY-MM or YYYY): relative "
              "dates such as 'on Monday' resolve against it. Default: the date in "
              "sources.yaml for a stored article, else a dateline at the top of the text.")
@click.option("--source", "source_id", help="Source id for the claims. Default: the id in "
              "sources.yaml for a stored article, else the file name.")
@click.option("--out", "out_file", type=click.Path(path_type=Path), help="Write the claims "
              "file here, and the proposed entities next to it (FILE.entities.yaml).")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True, help="What to print: the claims file (yaml), or "
              '{"warnings": [...], "attacks": [...]} with the fields of kg warnings/attacks.')
@data_option
@handle_errors
def extract_command(article: Path, published: str | None, source_id: str | None,
                    out_file: Path | None, fmt: str, data_dir: Path) -> None:
    """Draft claims from ARTICLE (UTF-8 text), offline, for a person to review.

    Rules and gazetteers (no model): actors are linked through the aliases in
    DATA/actors.yaml; new organisations, people and places are proposed as entities.
    Every claim has verbatim quotes, a confidence and `method: extracted`.

    \b
    Example:
      kg extract article.txt --published 2024-03-25 --out draft.yaml
      kg extract article.txt --format json
    """
    import json

    from ..extract import extract_file
    from ..extract.writers import claims_yaml, entities_yaml, json_rows

    found, reference = extract_file(article, data_dir, published, source_id)
    entities_file = None
    if out_file is not None:
        entities_file = Path(str(out_file.with_suffix("")) + ".entities.yaml")
        out_file.write_text(claims_yaml(found, str(article), str(entities_file)),
                            encoding="utf-8")
        entities_file.write_text(entities_yaml(found), encoding="utf-8")
    if fmt == "json":
        click.echo(json.dumps(json_rows(found, reference), indent=2, ensure_ascii=False))
    elif out_file is None:
        click.echo(claims_yaml(found, str(article)), nl=False)
    kinds = claims_by_kind(found.claims)
    summary = ", ".join(f"{n} {k}" for k, n in kinds.items()) or "nothing"
    date = found.published.value if found.published else "unknown (relative dates unresolved)"
    lines = [f"Extracted {summary} from {article} as source {found.source!r} "
             f"(published {date})."]
    if out_file is not None:
        lines.append(f"Wrote {out_file} (claims) and {entities_file} "
                     f"({len(found.entities)} proposed entities).")
    elif found.entities:
        lines.append(f"{len(found.entities)} proposed entities ("
                     f"{', '.join(e.id for e in found.entities[:8])}"
                     f"{'...' if len(found.entities) > 8 else ''}); use --out to write them.")
    lines.append("Review every claim against its quotes before moving it to data/claims/.")
    for line in lines:
        click.echo(line, err=out_file is None or fmt == "json")


@click.command("add")
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--id", "source_id", required=True, help="The new source's id (letters, digits, "
              "-, _ and .), e.g. reuters-2024-03-25.")
@click.option("--published", help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--title", help="The article's title.")
@click.option("--outlet", help="The outlet that published it.")
@click.option("--author", help="Its author(s).")
@click.option("--url", help="Where it was published.")
@click.option("--language", default="en", show_default=True, help="The text's language.")
@click.option("--derived-from", help="Id of the stored source this text is a copy of.")
@click.option("--relation", type=click.Choice(["summary", "translation", "repost"]),
              help="How it derives from --derived-from (or from an original not stored).")
@click.option("--notes", help="Where the metadata comes from. Default: the command line.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@data_option
@handle_errors
def add_command(article: Path, source_id: str, data_dir: Path, dry_run: bool,
                **metadata: str | None) -> None:
    """Store ARTICLE as a new source and write draft claims from it for review.

    Copies the text byte for byte to DATA/sources/, appends its metadata and sha256 to
    DATA/sources.yaml, and writes DATA/drafts/ID.yaml (draft claims) and
    DATA/drafts/ID.entities.yaml (proposed entities). Drafts are not read by kg build or
    kg validate: review them, then move the claims to DATA/claims/ID.yaml. On any
    problem nothing is written.

    \b
    Example:
      kg add article.txt --id wire-2024-03-25 --published 2024-03-25 --outlet Reuters
    """
    from ..add import NewSource, describe, plan_add, write_plan

    plan = plan_add(article, data_dir, NewSource(source_id, **metadata))
    if not dry_run:
        write_plan(plan)
    click.echo(describe(plan, dry_run), nl=False)


@click.command("eval")
@data_option
@format_option
@output_options()
@click.option("--details", is_flag=True,
              help="List every item instead: curated ones missed, extracted ones matching "
                   "nothing, and the matches.")
@handle_errors
def eval_command(data_dir: Path, fmt: str, details: bool) -> None:
    """Score `kg extract` against the curated claims of the same sources.

    Warnings are compared by (warner state, recipient state, year), attacks by
    (place at state level, year, killed with qualifiers); precision, recall and F1 per
    source and overall. relaxed_f1 compares only who/where.

    \b
    Example:
      kg eval --format json
    """
    from ..evaluate import DETAIL_FIELDS, SCORE_FIELDS, evaluate_dir

    result = evaluate_dir(data_dir)
    rows, fields = (result.details, DETAIL_FIELDS) if details else (result.scores, SCORE_FIELDS)
    emit(list(rows), fields, fmt)



#: The commands of this module, for the ``kg`` group.
COMMANDS = [extract_command, add_command, eval_command]
