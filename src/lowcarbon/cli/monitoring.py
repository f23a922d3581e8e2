"""``lowcarbon monitoring``: import meter exports into the store, print the monthly figures.

Exit status as the other commands: 0 done; 1 the input is wrong (nothing imported); 2 the command
line is wrong; 4 imported, but rows were rejected or flagged (the report lists each with why).
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lowcarbon.core.messages import Translate
from lowcarbon.core.metering import Carrier, Meter, MeterUse, ReadingKind, Severity
from lowcarbon.monitoring.choices import DEFAULT_STORE, SEVERITY_NAMES, Engine

if TYPE_CHECKING:  # the engines (DuckDB, PyArrow, openpyxl) load only when a command runs
    from lowcarbon.monitoring.ingest import IngestResult
    from lowcarbon.monitoring.monthly import MonthlyReport

from .table import render_table

__all__ = ["add_commands"]

EXIT_FINDINGS = 4
SHOWN_FINDINGS = 20


def _meter(ctx: Any, args: argparse.Namespace) -> Meter | None:
    if args.meter is None:
        if args.meter_column is None:
            raise SystemExit(ctx._("name the meter: --meter ID, or --meter-column COLUMN"))
        return None
    try:
        multiplier = Decimal(args.multiplier)
    except InvalidOperation:
        raise SystemExit(
            ctx._("--multiplier: '{found}' is not a number; expected e.g. 1 or 40").format(
                found=args.multiplier
            )
        ) from None
    try:
        installed = date.fromisoformat(args.installed) if args.installed else None
    except ValueError:
        raise SystemExit(
            ctx._("--installed: '{found}' is not a date; expected e.g. 2024-03-01").format(
                found=args.installed
            )
        ) from None
    return Meter(
        id=args.meter,
        carrier=Carrier(args.carrier),
        use=MeterUse(args.use),
        unit=args.unit,
        reading=ReadingKind(args.reading),
        interval_minutes=args.interval,
        multiplier=multiplier,
        installed=installed,
        max_rate=args.max_rate,
        max_gap_intervals=args.max_gap,
        community=args.community,
    )


def _finding_line(finding: Any, _: Translate) -> str:
    where = [_("meter {meter}").format(meter=finding.meter)] if finding.meter else []
    if finding.row is not None:
        where.append(_("row {row}").format(row=finding.row))
    if finding.column:
        where.append(_("column '{column}'").format(column=finding.column))
    if finding.at is not None:
        where.append(finding.at.isoformat(sep=" "))
    return _("{where}: {reason}; found {found}, expected {expected}").format(
        where=", ".join(where),
        reason=finding.reason.render(_),
        found=finding.found,
        expected=finding.expected.render(_),
    )


def _ingest_json(result: IngestResult, file: str, _: Translate) -> dict[str, Any]:
    return {
        "file": file,
        "import": result.import_id,
        "rows": result.rows,
        "added": result.added,
        "already_stored": result.already_stored,
        "rejected": result.count(Severity.REJECTED),
        "flagged": result.count(Severity.FLAGGED),
        "notes": result.count(Severity.NOTE),
        "report": str(result.report),
        "checked_by": result.path,
        "findings": [
            {
                "kind": f.kind.value,
                "severity": f.severity.value,
                "meter": f.meter,
                "row": f.row,
                "column": f.column,
                "time": None if f.at is None else f.at.isoformat(sep=" "),
                "found": f.found,
                "expected": f.expected.render(_),
                "reason": f.reason.render(_),
            }
            for f in result.findings
        ],
    }


def cmd_ingest(ctx: Any, args: argparse.Namespace) -> int:
    from lowcarbon.monitoring.ingest import ingest
    from lowcarbon.monitoring.sources import ColumnMapping
    from lowcarbon.monitoring.store import Store

    path = Path(args.file)
    if not path.is_file():
        raise SystemExit(ctx._("{file}: no such file").format(file=args.file))
    meter = _meter(ctx, args)
    store = Store(Path(args.store))
    mapping = ColumnMapping(args.time_column, args.value_column, args.meter_column)
    result = ingest(store, path, mapping, meter, translate=ctx._)
    if args.report:
        assert result.report is not None
        shutil.copyfile(result.report, args.report)
    _ = ctx._
    lines = [
        _(
            "{file}: {rows} rows read; {added} intervals added, {same} already stored; "
            "{rejected} rejected, {flagged} flagged, {notes} notes"
        ).format(
            file=path.name,
            rows=result.rows,
            added=result.added,
            same=result.already_stored,
            rejected=result.count(Severity.REJECTED),
            flagged=result.count(Severity.FLAGGED),
            notes=result.count(Severity.NOTE),
        )
    ]
    for finding in result.findings[:SHOWN_FINDINGS]:
        lines.append(f"  [{_(SEVERITY_NAMES[finding.severity])}] {_finding_line(finding, _)}")
    if len(result.findings) > SHOWN_FINDINGS:
        lines.append(
            "  " + _("… and {count} more").format(count=len(result.findings) - SHOWN_FINDINGS)
        )
    if result.findings:
        lines.append(_("report of every finding: {path}").format(path=args.report or result.report))
    ctx.emit("\n".join(lines), _ingest_json(result, path.name, _))
    flagged = result.count(Severity.REJECTED) + result.count(Severity.FLAGGED)
    return EXIT_FINDINGS if flagged else 0


def _monthly_text(report: MonthlyReport, _: Translate) -> str:
    header = [
        _("community"),
        _("meter"),
        _("month"),
        _("rows"),
        _("completeness"),
        _("consumption"),
        _("unit"),
        "tCO2",
    ]
    rows = [
        [
            f.community,
            f.meter,
            f.month,
            str(f.rows),
            f"{f.completeness * 100:.2f} %",
            f"{f.consumption:,.3f}",
            f.unit,
            "—" if f.tco2 is None else f"{f.tco2:,.6f}",
        ]
        for f in report.figures
    ]
    if not rows:
        return _("the store holds no readings yet")
    lines = [
        render_table(header, rows, right=(3, 4, 5, 7)),
        "",
        _("tCO2 under factor set {set}").format(set=report.factor_set),
    ]
    lines += [note.render(_) for note in report.notes]
    return "\n".join(lines)


def cmd_monthly(ctx: Any, args: argparse.Namespace) -> int:
    from lowcarbon.monitoring.monthly import figures_to_json, monthly
    from lowcarbon.monitoring.store import Store

    store = Store(Path(args.store))
    report = monthly(store, Engine(args.engine))
    ctx.emit(_monthly_text(report, ctx._), figures_to_json(report))
    return 0


def add_commands(commands: Any, common: argparse.ArgumentParser, _: Translate) -> None:
    monitoring = commands.add_parser(
        "monitoring", parents=[common], help=_("metered readings: import, monthly figures")
    )
    sub = monitoring.add_subparsers(dest="monitoring_command", required=True, metavar="ACTION")
    text = _("import a utility export (CSV or XLSX, UTF-8 or GBK) into the store")
    command = sub.add_parser("ingest", parents=[common], help=text, description=text)
    command.add_argument("file", help=_("the export file"))
    command.add_argument(
        "--store",
        default=str(DEFAULT_STORE),
        help=_("the store directory (default var/monitoring)"),
    )
    command.add_argument("--meter", help=_("the id of the file's meter"))
    command.add_argument("--meter-column", help=_("the column of meter ids (several meters)"))
    command.add_argument("--time-column", required=True, help=_("the column of times"))
    command.add_argument("--value-column", required=True, help=_("the column of values"))
    command.add_argument(
        "--reading",
        required=True,
        choices=[k.value for k in ReadingKind],
        help=_("how a value is read: register, energy per interval or average power"),
    )
    command.add_argument("--unit", required=True, help=_("unit of the values: kWh, m³, GJ, kW …"))
    command.add_argument(
        "--interval", type=int, default=15, help=_("minutes per interval (default 15)")
    )
    command.add_argument(
        "--carrier",
        choices=[c.value for c in Carrier],
        default=Carrier.ELECTRICITY.value,
        help=_("what the meter measures (default electricity)"),
    )
    command.add_argument(
        "--use",
        choices=[u.value for u in MeterUse],
        default=MeterUse.HOUSEHOLD.value,
        help=_("who uses it (default household)"),
    )
    command.add_argument("--multiplier", default="1", help=_("multiplier (CT ratio), default 1"))
    command.add_argument(
        "--max-rate",
        type=float,
        help=_("the most the meter can deliver per hour (kW, m³/h, GJ/h): higher is a spike"),
    )
    command.add_argument(
        "--max-gap",
        type=int,
        default=4,
        help=_("estimate gaps of at most this many intervals (default 4)"),
    )
    command.add_argument("--installed", help=_("installation date, e.g. 2024-03-01"))
    command.add_argument(
        "--community", default="community", help=_("the community the meter belongs to")
    )
    command.add_argument("--report", help=_("also write the report (CSV) to this file"))
    command.set_defaults(func=cmd_ingest)
    text = _("monthly rows, completeness, consumption and tCO2 per meter")
    command = sub.add_parser("monthly", parents=[common], help=text, description=text)
    command.add_argument(
        "--store",
        default=str(DEFAULT_STORE),
        help=_("the store directory (default var/monitoring)"),
    )
    command.add_argument(
        "--engine",
        choices=[e.value for e in Engine],
        default=Engine.DUCKDB.value,
        help=_("duckdb (embedded, default) or spark (local[2])"),
    )
    command.set_defaults(func=cmd_monthly)
