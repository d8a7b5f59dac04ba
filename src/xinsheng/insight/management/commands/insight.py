"""Text tools on the command line: ``xinsheng insight normalize|evaluate|export-labelled``.

- ``normalize`` reads text on standard input and writes it cleaned (for scripts, and to check
  the cleaning by eye);
- ``evaluate FILE --text COLUMN --label COLUMN`` cross-validates the production classifier on a
  labelled .xlsx or .csv file and prints accuracy, macro-F1, per-class F1 and timings;
- ``export-labelled -o FILE.csv`` writes the text and confirmed category of this installation's
  accepted cases, the data the classifier is trained on.
"""

import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinsheng.core.errors import XinshengError
from xinsheng.core.normalize import normalize
from xinsheng.insight.management.labelled import (
    LabelledFileError,
    labelled_cases,
    read_labelled,
    write_labelled,
)
from xinsheng.insight.nlp.classify import Evaluation, evaluate


class Command(BaseCommand):
    help = "Text tools of insight: normalize, evaluate, export-labelled."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        commands.add_parser("normalize", help="clean the text on standard input")
        run = commands.add_parser(
            "evaluate", help="cross-validate the classifier on a labelled .xlsx or .csv file"
        )
        run.add_argument("file", type=Path, help="an .xlsx or .csv file with a header row")
        run.add_argument("--text", required=True, help="name (or number) of the text column")
        run.add_argument("--label", required=True, help="name (or number) of the label column")
        run.add_argument("--sheet", help="worksheet of an .xlsx file (default: the first)")
        run.add_argument("--folds", type=int, default=5, help="cross-validation folds (5)")
        run.add_argument("--seed", type=int, default=0, help="seed of the fold split (0)")
        run.add_argument(
            "--group-duplicates",
            action="store_true",
            help="keep near-duplicate texts in one fold (scores new wordings, not repeats)",
        )
        export = commands.add_parser(
            "export-labelled", help="write the accepted cases' text and category as CSV"
        )
        export.add_argument("-o", "--output", type=Path, required=True, help="the .csv to write")
        export.add_argument(
            "--distinct", action="store_true", help="keep one case per distinct text"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        try:
            if subcommand == "normalize":
                self.normalize()
            elif subcommand == "evaluate":
                self.evaluate(**options)
            else:
                self.export(output=options["output"], distinct=options["distinct"])
        except (LabelledFileError, OSError) as error:
            raise CommandError(str(error)) from error
        except XinshengError as error:
            raise CommandError(str(error.message)) from error

    def normalize(self) -> None:
        self.stdout.write(normalize(sys.stdin.read()))

    def evaluate(
        self, *, file: Path, text: str, label: str, sheet: str | None, folds: int, seed: int,
        group_duplicates: bool, **_options: Any,
    ) -> None:  # fmt: skip
        texts, labels = read_labelled(file, text=text, label=label, sheet=sheet)
        categories = len(set(labels))
        if categories < 2:
            raise CommandError(f"{file}: at least two categories are needed, found {categories}")
        self.stdout.write(
            f"{len(texts):,} labelled texts in {categories} categories from {file.name}; "
            f"stratified {folds}-fold cross-validation (seed {seed})"
            + (", near duplicates kept in one fold…" if group_duplicates else "…")
        )
        started = time.perf_counter()
        result = evaluate(
            texts, labels, folds=folds, seed=seed, group_duplicates=group_duplicates, baseline=True
        )
        self.stdout.write(report(result, seconds=time.perf_counter() - started))

    def export(self, *, output: Path, distinct: bool) -> None:
        rows: list[tuple[str, str]] = []
        seen: set[str] = set()
        for case_text, category in labelled_cases().values_list("text", "category__name"):
            if distinct and case_text in seen:
                continue
            seen.add(case_text)
            rows.append((case_text, category))
        with output.open("w", encoding="utf-8", newline="") as target:
            count = write_labelled(rows, target)
        self.stdout.write(f"Wrote {count:,} labelled cases to {output}.")


def report(result: Evaluation, *, seconds: float) -> str:
    """Return the evaluation as the table the command prints."""
    width = max(_width(label) for label in result.per_class_f1) + 2
    plain = result.baseline_per_class_f1
    lines = [
        f"accuracy          {result.accuracy:.4f}",
        f"macro-F1          {result.macro_f1:.4f}  pipeline",
    ]
    if result.baseline_macro_f1 is not None:
        lines.append(
            f"macro-F1          {result.baseline_macro_f1:.4f}  baseline "
            "(char 1–2-gram TF-IDF, sublinear tf, LinearSVC; same folds)"
        )
    lines += [
        f"training time     {result.train_seconds:.2f} s per fold "
        f"({result.items * (result.folds - 1) // result.folds:,} texts)",
        f"prediction time   {result.predict_ms_per_item:.3f} ms per text",
        f"confidence        {'calibrated probability' if result.calibrated else 'softmax'}",
        "",
        "category" + " " * (width - 8) + "    F1  support" + ("  baseline" if plain else ""),
    ]
    for label, f1 in sorted(result.per_class_f1.items(), key=lambda item: -item[1]):
        padding = " " * (width - _width(label))
        row = f"{label}{padding}{f1:6.4f}  {result.support[label]:7,}"
        lines.append(row + (f"    {plain[label]:6.4f}" if plain else ""))
    lines.append(f"({seconds:.1f} s in all)")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Return the columns ``text`` takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
