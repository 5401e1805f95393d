"""Credentials without a vendor prefix: in URLs (`scheme://user:password@host`), in connection
strings and URL query parameters, and assigned to a key whose name says what it is (`password =`,
`api_key:`, `"client_secret":`, `<password>`), in code, config files, env files and chat text.

A value is judged by the key that labels it and by its own shape: a password may be chosen by a
person (mixed character classes are enough), a token or key must look random (length, entropy,
character classes, not a run of words). Values that are placeholders (`xxxx`, `<your-key>`,
`changeme`, `abcdefgh`), references (`${TOKEN}`, `os.environ[...]`, `settings.KEY`, `getpass()`),
paths, URLs without credentials, numbers or booleans are never findings.

The value checks here are shared by `secrets_cli`, `secrets_http` and `secrets_config`."""

from __future__ import annotations

import operator
import re
from itertools import islice
from urllib.parse import unquote

from aigate.inspect.detectors.base import (
    PLACEHOLDER_OR_RUN,
    Detector,
    entropy,
    is_placeholder,
    located_by,
    re2_set_match,
)

# --- value checks -------------------------------------------------------------------------------

# Text inside a value that marks it as someone's example, a label or a reference (RE2 syntax
# too: the ellipsis is the character itself).
_EXAMPLE_FRAGMENT_PATTERN = (
    r"pass|passwd|p@ss|secret|changeme|changeit|example|sample|dummy|placeholder|your|"
    r"redacted|lorem|foobar|foobared|qwerty|asdf|xxx|\*\*\*|\.\.\.|…|api[_-]?key|token|"
    r"fake|mock|test|demo|default|insert|replace|todo|fixme|<|>|\{\{|\$\{|%\("
)
_EXAMPLE_FRAGMENT = re.compile(_EXAMPLE_FRAGMENT_PATTERN)
# The case folds Python's IGNORECASE makes beyond str.lower() (long s, dotless and dotted i).
_FOLD = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i"})


def _example_fragment(value: str) -> bool:
    """`_EXAMPLE_FRAGMENT` anywhere in the value, whatever its case. Searched in the folded
    value rather than with IGNORECASE: a case-insensitive alternation is tried at every offset
    (~20 us on a 100-character token), a case-sensitive one skips to its first letters."""
    if not value.isascii():
        value = value.translate(_FOLD)
    return _EXAMPLE_FRAGMENT.search(value.lower()) is not None


# `is_placeholder`'s words and typed runs (0) and `_EXAMPLE_FRAGMENT` (1) in one RE2 set: one
# call over the lower-case value answers both (the fragments apart for non-ASCII values, which
# `_example_fragment` folds first).
_PLACEHOLDER_OR_FRAGMENT_MATCH = re2_set_match(PLACEHOLDER_OR_RUN, _EXAMPLE_FRAGMENT_PATTERN)


# Values whose letters alone are a word people put in examples (admin123, Welcome1!, root).
_EXAMPLE_WORD_LIST = """
    pw pwd admin administrator root user username guest login letmein welcome hello abc abcd
    abcde abcdef abcxyz xyz foo bar baz qux quux hunter master god love iloveyou monkey dragon
    shadow sunshine princess football baseball trustno tiger scott key apikey none null nil empty
    blank value string text mypw mykey mytoken mysecret s k x y z a b c q w e r t"""
_EXAMPLE_WORDS = frozenset(_EXAMPLE_WORD_LIST.split())
_LONGEST_EXAMPLE = max(map(len, _EXAMPLE_WORDS))
_EXAMPLE_WORDS_ASCII = frozenset(word.encode() for word in _EXAMPLE_WORDS)
# Deleting every byte but a-z leaves the letters of a lower-case ASCII value.
_NOT_LOWER_LETTER = bytes(b for b in range(256) if not 97 <= b <= 122)
# Where a value is code or configuration pointing somewhere else, not a literal: a variable
# (`$VAR`, `${VAR}`, `$(cmd)`, `%VAR%`, `%(name)s`), a call or index (`get_pw()`, `cfg["pw"]`),
# a template or collection (`{pw}`, `[REDACTED]`), a URL or a known secret-store reference.
# (Two patterns: what the value starts with, matched once, and what it holds anywhere; as one
# search every start-anchored alternative was tried at every offset.)
_REFERENCE_START = re.compile(
    r"(?:\$[A-Za-z_{(]|%[A-Za-z_][\w.]*%$|%\(|self\.|this\.|env[:.]|vault:|file:|ref\+|op://|"
    r"sm://|arn:|secretsmanager:|awssm:|keyvault:|projects/|sha\d+:|md5:|enc\[|enc\(|[\[{])"
    r"|//"
    r"|__\w+__$"
    r"|(?:true|false|yes|no|on|off|null|none|nil|undefined|required|optional|enabled|disabled|"
    r"string|str|bool|int|number|object|array|any|password|secret|token|hidden)$",
    re.IGNORECASE,
)
# `host:port` as a whole value, apart: without a colon it cannot match, and on a long token its
# `[\w.\-]+` backtracks from the end.
_HOST_PORT = re.compile(r"@?[\w.\-]+:\d{2,5}$", re.IGNORECASE)
_REFERENCE_ANYWHERE = re.compile(r"\$\{|\{\{|#\{|%\(\w+\)[sd]|://", re.IGNORECASE)


def _reference(value: str) -> bool:
    return (
        _REFERENCE_START.match(value) is not None
        or (":" in value and _HOST_PORT.match(value) is not None)
        or _REFERENCE_ANYWHERE.search(value) is not None
    )


# Code around an unquoted value: a call or index (`get_pw()`, `cfg["pw"]`, `pw[0]`), a tuple or
# a bracket closing an expression. Inside quotes these characters are part of the literal.
_CODE = re.compile(
    r"^\(|^[A-Za-z_$][\w.$]*(?:\(|\[)|[)\]}]$|[A-Za-z_]\w*\(|\(\?|\\[A-Za-z]"
    r"|==|=>|&&|\|\||\)\{|;\)|\(\)|\breturn\b|\bfunction\b"
)
_CODE_CHARS = frozenset("()[]}\\=&|")  # one of them is in every `_CODE` match but the words


def _code(value: str) -> bool:
    """`_CODE` in the value; a token without any of its characters is no code, and is not
    searched (`[A-Za-z_]\\w*\\(` rescans the rest of a long token from every letter)."""
    if _CODE_CHARS.isdisjoint(value) and "return" not in value and "function" not in value:
        return False
    return _CODE.search(value) is not None


# An identifier in code (`cryptography_has_psk`, `dbPassword`): letters joined by underscores or
# camel case, no digit; outside quotes it names a variable.
_IDENTIFIER = re.compile(r"[a-z]+(?:_[a-z]+)+|[A-Z]+(?:_[A-Z]+)+|[a-z]+(?:[A-Z][a-z]+)+")
# settings.SECRET_KEY, config.dbPassword, secrets.GITHUB_TOKEN (a JWT has this shape too, but
# is not made of words).
_DOTTED = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*){1,6}$")
_PATH = re.compile(
    r"^/[\w.@-]+(?:/[\w.@-]*)*$|^(?:~|\.{1,2})/|^[A-Za-z]:\\|"
    r"\.(?:pem|key|crt|cer|p12|pfx|jks|json|ya?ml|txt|env|conf|cfg|ini|properties|toml|xml|gpg|"
    r"asc|der|pub|kdbx|keystore|sh|py|js|ts)$",
    re.IGNORECASE,
)
# A variable or template where a password would be (`$PASS`, `%DB_PW%`, `{pw}`, `<pw>`); a
# password may itself start with `$` or `%` when a letter does not follow (`$7kq...`, `%Q_...`
# is no Windows variable without its closing `%`).
_VARIABLE = re.compile(r"^(?:\$[A-Za-z_{(]|%[A-Za-z_]\w*%|%\(|\{|<|\[)")
# A leading sigil that makes the rest a reference when the rest is a name: a YAML anchor or
# alias (`&db`, `*db`), a tag (`!Ref`), a Ruby symbol (`:password`), an annotation (`@Value`),
# a comment (`# set later`), a flag (`--stdin`), a YAML block indicator (`|`, `>`).
_SIGIL = re.compile(r"^[&*!:@#\-|>?~^=\\]+")
_DIRECTORY_LIST = (
    "etc var run usr home tmp opt lib srv mnt root secrets secret data app config conf keys certs "
    "ssl private local share bin users"
)
_DIRECTORIES = frozenset(_DIRECTORY_LIST.split())
_NUMBER = re.compile(r"^[v]?[0-9][0-9.,:_+/-]*[a-z]{0,2}$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_REPEATED = re.compile(r"(.{1,8}?)\1+")
# Word-like runs: a capitalised or lower-case word, or an upper-case acronym.
_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# The letter pairs most frequent in English text, about 80% of its pairs and 18% of all pairs.
_ENGLISH_PAIRS = """
    th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le
    ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr
    no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni
    ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op
    wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by"""
_COMMON_PAIRS = frozenset(_ENGLISH_PAIRS.split())


def _pair_lookahead(pairs: frozenset[str]) -> re.Pattern[str]:
    """A zero-width match where one of `pairs` starts, so that `findall` counts overlapping
    pairs; grouped by first letter (`t[hieo...]|h[eai...]`), which sre tries far faster than an
    alternation of a hundred pairs."""
    seconds: dict[str, str] = {}
    for pair in sorted(pairs):
        seconds[pair[0]] = seconds.get(pair[0], "") + pair[1]
    return re.compile("(?=" + "|".join(f"{a}[{b}]" for a, b in seconds.items()) + ")")


_COMMON_PAIR_AT = _pair_lookahead(_COMMON_PAIRS)


def _class_mark(ch: str) -> int:
    """An ASCII character's class for `_classes`, as the byte `a`, `A`, `1` or `#` (other)."""
    if ch.islower():
        return ord("a")
    if ch.isupper():
        return ord("A")
    return ord("1") if ch.isdigit() else ord("#")


_CLASS_OF = bytes(map(_class_mark, map(chr, range(128)))) + bytes(128)


def _classes(value: str) -> int:
    """How many of lower case, upper case, digits and other characters the value holds."""
    if value.isascii():  # the four classes by byte, looked up in C
        kinds = value.encode().translate(_CLASS_OF)
        return (b"a" in kinds) + (b"A" in kinds) + (b"1" in kinds) + (b"#" in kinds)
    return (
        any(map(str.islower, value))
        + any(map(str.isupper, value))
        + any(map(str.isdigit, value))
        + (bool(value) and not value.isalnum())
    )


# ASCII letters and digits as `a` and `1`, everything else dropped (for `_switches`).
_KINDS = bytes(
    ord("1") if chr(b).isdigit() else ord("a") if chr(b).isalnum() else 0 for b in range(128)
) + bytes(128)
_NOT_ALNUM = bytes(b for b in range(256) if not (b < 128 and chr(b).isalnum()))
# ASCII letters as `A` and `a` by case, everything else dropped (for `_letter_cases`).
_CASES = bytes(
    ord("A") if chr(b).isupper() else ord("a") if chr(b).islower() else 0 for b in range(128)
) + bytes(128)
_NOT_LETTER = bytes(b for b in range(256) if not (b < 128 and chr(b).isalpha()))


def _switches(value: str) -> int:
    """How often the letters and digits of `value` switch between a digit and a letter."""
    if value.isascii():
        kinds = value.encode().translate(_KINDS, _NOT_ALNUM)
        return kinds.count(b"1a") + kinds.count(b"a1")
    flags = [c.isdigit() for c in value if c.isalnum()]
    return sum(map(operator.ne, flags, flags[1:]))


_STEP = frozenset((-1, 0, 1))  # code point differences of neighbouring characters


def patterned(value: str) -> bool:
    """Runs of neighbouring characters (`abcdef`, `123456`, `aaaa`), a repeated unit (`abab`,
    `a1a1a1`), or fewer than four distinct characters: typed, not random."""
    if len(value) < 4:
        return True
    low = value.lower()
    return _few_distinct(low) or _typed_sequence(low)


def _few_distinct(low: str) -> bool:
    return len(set(low[:16])) < 4 and len(set(low)) < 4


def _typed_sequence(low: str) -> bool:
    """`patterned`'s repeated unit or neighbouring-character runs in the lower-case value."""
    if _REPEATED.fullmatch(low):
        return True
    need = 0.6 * (len(low) - 1)
    codes = low.encode() if low.isascii() else list(map(ord, low))  # bytes index as codes
    half = len(codes) // 2
    # the first half's steps, then the rest only if the total can still reach `need`
    steps = sum(map(_STEP.__contains__, map(operator.sub, codes[1 : half + 1], codes)))
    if steps + (len(codes) - 1 - half) < need:
        return False
    steps += sum(map(_STEP.__contains__, map(operator.sub, codes[half + 1 :], codes[half:])))
    return steps >= need


def wordy(value: str) -> bool:
    """Mostly letters, in runs whose letter pairs are common in English (`PROD-DB-MASTER`,
    `getUserById`, `Summer2024`): identifiers and words, not random characters. Random text
    mixes letters and digits often and its letter pairs are rarely common ones."""
    if _switches(value) >= 4:  # the cheapest test first
        return False
    words = _PARTS.findall(value)
    pairs = sum(map(len, words)) - len(words)  # each word's letter pairs
    if pairs < 2 or sum(filter((2).__lt__, map(len, words))) < 0.6 * len(value):
        return False
    # The words' common pairs are those of the words joined by spaces (no common pair holds one).
    common = len(_COMMON_PAIR_AT.findall(" ".join(words).lower()))
    return common >= 0.5 * pairs


def example_value(value: str) -> bool:
    """A placeholder, a documentation value or a common default (`changeme`, `admin123`,
    `your-api-key`, `sk-...`, `abcdefgh`, `12345678`).

    `is_placeholder`, `_example_fragment`, the example words and `patterned` with the value
    lowered once, cheapest first: under four characters or distinct ones is `patterned` (which
    covers `is_placeholder`'s two), then one RE2 call for the placeholders and fragments."""
    if len(value) < 4:
        return True
    low = value.lower()
    if _few_distinct(low):
        return True
    if _PLACEHOLDER_OR_FRAGMENT_MATCH is None:  # pragma: no cover - without the re2 wheel
        if is_placeholder(value) or _example_fragment(value):
            return True
    elif value.isascii():  # lowered is folded: one call answers both
        if _PLACEHOLDER_OR_FRAGMENT_MATCH(low.encode()):
            return True
    elif 0 in _PLACEHOLDER_OR_FRAGMENT_MATCH(low.encode()) or _example_fragment(value):
        return True
    if value.isascii():  # its letters are a-z once lowered: the others deleted in C
        if low.encode().translate(None, _NOT_LOWER_LETTER) in _EXAMPLE_WORDS_ASCII:
            return True
    else:
        # (a value with more letters than the longest example word is none of them: stop there)
        letters = "".join(islice(filter(str.isalpha, low), _LONGEST_EXAMPLE + 1))
        if letters in _EXAMPLE_WORDS:
            return True
    return _typed_sequence(low)


def _path(value: str) -> bool:
    """A file path (`/run/secrets/db`, `./key.pem`, `C:\\keys\\a.pfx`); base64 that happens to
    hold slashes is not one: most of a path's parts are words or well-known directories."""
    # every alternative of `_PATH` needs a leading / or ~, a dot or a backslash
    if not value.startswith(("/", "~")) and "." not in value and "\\" not in value:
        return False
    if not _PATH.search(value):
        return False
    if not value.startswith("/") or "." in value.rpartition("/")[2]:
        return True
    parts = [p for p in value.split("/") if p]
    named = sum(
        wordy(p) or p.lower() in _DIRECTORIES or (len(p) <= 3 and p.isalpha()) for p in parts
    )
    return named >= 0.5 * len(parts)


_NAME = re.compile(r"[A-Za-z_][\w.\-]*")


def _sigil_reference(value: str) -> bool:
    """`&db`, `*defaults`, `!Ref`, `:password`, `@Value`, `--stdin`: a sigil before a name. A
    password may start with a symbol too (`!Kx8m2Lq9`, `#7hQ...`): then the rest is random."""
    sigil = _SIGIL.match(value)
    if sigil is None:
        return False
    rest = value[sigil.end() :]
    if len(rest) < 6:
        return True
    return _NAME.fullmatch(rest) is not None and (wordy(rest) or _classes(rest) == 1)


def literal(value: str, quoted: bool = False) -> bool:
    """Not a reference, path, URL, number, email address or keyword: a literal that can be a
    credential. Brackets and calls are code only outside quotes."""
    return not (
        _reference(value)
        or (not quoted and (_code(value) or _IDENTIFIER.fullmatch(value)))
        or _sigil_reference(value)
        or ("." in value and _DOTTED.match(value) and wordy(value))
        or _path(value)
        or _NUMBER.match(value)
        or ("@" in value and _EMAIL.match(value))
    )


# Words that make a hyphenated or spaced value a name, a setting or a message rather than a
# passphrase of random words (`prod-db-credentials`, "must be at least twelve characters").
_NOT_PHRASE_LIST = """
    the a an and or of to for in on at by with from is are be not no use your my our this that it
    as set see ask same please enter must should required invalid incorrect wrong characters
    least match confirm new old current forgot reset show hide field empty too short long cannot
    try again here click log sign login logout user users username admin administrator root db
    database prod production dev development staging stage test qa uat primary master replica
    main backup local remote internal external public private shared default service services
    server cluster node host api app application web frontend backend auth credential credentials
    cred creds key keys secret secrets vault config configuration settings env environment file
    name id value values read write only access token tokens account store manager generated
    random managed auto none null empty strong weak"""
_NOT_PHRASE = frozenset(_NOT_PHRASE_LIST.split())
_PHRASE_JOINS = re.compile(r"[\-_.+~,]+")
_SPACED_PHRASE_JOINS = re.compile(r"[\s\-_.+~,]+")
_PHRASE_PART = re.compile(
    r"[A-Za-z]{3,12}[0-9]{0,4}[!?#*@$%&=]?|[0-9]{1,4}[!?#*@$%&=]?|[!?#*@$%&=]{1,3}"
)


def passphrase(value: str, spaces: bool = False) -> bool:
    """Three or more random words joined by hyphens, dots, plus signs or commas (spaces too,
    inside quotes), optionally with digits or symbols (`maple-orbit-canyon-42`,
    `Quiet.Lantern.Harbor7`, "quiet lantern harbor meadow"); joined by underscores only with a
    capital or a digit (`encrypted_blob_bytes` is an identifier). A passphrase, not a name made of
    configuration words or a sentence."""
    if len(value) < 15 or value.endswith((".", "?")):
        return False
    parts = list(filter(None, (_SPACED_PHRASE_JOINS if spaces else _PHRASE_JOINS).split(value)))
    words = [p.lower() for p in parts if p[:3].isalpha()]
    if len(words) < 3 or not all(map(_PHRASE_PART.fullmatch, parts)):
        return False
    if "_" in value and value.lower() == value and not any(map(str.isdigit, value)):
        return False
    stems = [w.rstrip("0123456789!?#*@$%&=") for w in words]
    if any(w in _NOT_PHRASE or w in _EXAMPLE_WORDS for w in stems):
        return False
    return not example_value(value)


def random_value(value: str, min_len: int = 12, quoted: bool = False) -> bool:
    """A token or key: long enough, random-looking (entropy, character classes, not words), a
    literal, not an example. Letters-only values must switch case like random text does."""
    if len(value) < min_len or not literal(value, quoted) or example_value(value) or wordy(value):
        return False
    return _random_shape(value, entropy(value))


def _letter_cases(value: str) -> tuple[int, bool, int]:
    """The value's letters: how many, whether both cases occur, how often neighbours switch."""
    if value.isascii():  # letters as `A` or `a`, the rest deleted, in C
        cases = value.encode().translate(_CASES, _NOT_LETTER)
        return len(cases), b"A" in cases and b"a" in cases, cases.count(b"Aa") + cases.count(b"aA")
    letters = list(filter(str.isalpha, value))
    upper = list(map(str.isupper, letters))
    mixed = any(upper) and any(map(str.islower, letters))
    return len(letters), mixed, sum(map(operator.ne, upper, upper[1:]))


def _random_shape(value: str, h: float) -> bool:
    """`random_value` past its literal, example and word checks, for a value of entropy `h`
    (`password_value` has made those checks already)."""
    if value.startswith("-----"):  # a PEM block: the private-key detectors report it
        return False
    bare = value.replace("-", "").replace("_", "").replace(".", "")
    if not any(map(str.isdigit, value)) and (not bare or bare.isalpha()):
        letters, mixed_case, switches = _letter_cases(value)
        if mixed_case:
            return len(value) >= 16 and switches >= 0.25 * letters and h >= 3.3
        return len(value) >= 20 and h >= 3.5
    # About the 0.5th percentile of random hexadecimal of that length (the poorest alphabet).
    n = len(value)
    return h >= (2.3 if n < 16 else 2.6 if n < 20 else 2.8 if n < 24 else 2.9 if n < 32 else 3.1)


def password_value(value: str, quoted: bool = False) -> bool:
    """A password a person may have chosen: three character classes (`Summer2024!`,
    `Tr0ub4dor&3`, `%Q_x7...`), two with a digit or symbol and not word-like, a passphrase of
    random words, or random; never a word, example, reference or number (`hunter2`, `Summer2024`
    and `admin123` are not enough)."""
    if len(value) < 6 or not literal(value, quoted) or example_value(value):
        return False
    h = entropy(value)
    if h < 2.5:
        return False
    if passphrase(value):
        return True
    classes = _classes(value)
    if classes >= 3 or (classes == 2 and len(value) >= 8 and not value.isalpha()):
        return not wordy(value)  # (random_value rejects a word-like value too)
    # random_value(value, quoted=quoted) without the checks made above
    return len(value) >= 12 and not wordy(value) and _random_shape(value, h)


def quoted_password_value(value: str) -> bool:
    """A password written between quotes: any characters may be part of it (`,;&()` and spaces
    too), so brackets are no sign of code; spaces make it a passphrase or nothing."""
    if any(c.isspace() for c in value):
        return passphrase(value.strip(), spaces=True)
    return password_value(value, quoted=True)


def url_password(password: str, user: str = "") -> bool:
    """A password in a structure that only holds passwords (URL userinfo, `curl -u`, `-p`):
    any literal that is not an example, a default equal to the user name, or a port number."""
    if _VARIABLE.match(password):
        return False
    password = unquote(password)
    if len(password) < 3 or (password.isdigit() and len(password) <= 5):
        return False
    return password.lower() != unquote(user).lower() and not example_value(password)


# Tokens made to be public (Mapbox `pk.`, Stripe and others' publishable `pk_live_`/`pk_test_`):
# shipped in web pages, never a secret however they are labelled.
_PUBLIC_PREFIXES = ("pk.", "pk_live_", "pk_test_")


def _secret_value(value: str) -> bool:
    return not value.startswith(_PUBLIC_PREFIXES) and random_value(value)


def _sql_password(value: str) -> bool:
    """A literal after IDENTIFIED BY / WITH PASSWORD; a lower-case word is prose ("a library
    identified by 'name'")."""
    return url_password(value) and not (value.isalpha() and value.islower() and len(value) <= 10)


def _django_key(value: str) -> bool:
    """Django's get_random_secret_key(): 50 characters, random, mixing letters, digits and the
    symbols of its alphabet."""
    body = value.removeprefix("django-insecure-")
    return entropy(body) >= 4.0 and _classes(body) >= 2 and not example_value(body)


def _url_credentials(value: str) -> bool:
    userinfo, _, _host = value.rpartition("@")
    user, _, password = userinfo.partition(":")
    if user.startswith(("$", "%", "{", "<")):
        return False
    return url_password(password, user)


def _connection_password(value: str) -> bool:
    return url_password(value.strip("{}\"' "))


def _query_password(value: str) -> bool:
    return password_value(unquote(value))


def _oracle_credentials(value: str) -> bool:
    userinfo = value.partition("@")[0]
    user, _, password = userinfo.partition("/")
    return url_password(password, user)


# --- key names ----------------------------------------------------------------------------------


def either_case(*words: str) -> str:
    """An alternation of `words` in any letter case, spelled letter by letter (`[Pp][Aa]...`).

    For RE2's literal prefilter (the engine runs a detector only where its atoms occur) this
    keeps the text next to a word in the atom (`-password`, `?token=`): `(?i:...)` also
    matches the long s and the Kelvin sign, which doubles the spellings of every s, and past 16
    spellings the prefilter drops the text around the word, leaving atoms like `pass` and
    `token` that ordinary prose is full of."""

    def letters(word: str) -> str:
        return "".join(
            f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else re.escape(c) for c in word
        )

    return "(?:" + "|".join(letters(word) for word in words) + ")"


_IDC = r"[A-Za-z0-9_.\-]"  # characters of a key name (snake, kebab, dotted, camel)
_DELIM = r"(?:^|[^A-Za-z0-9_.\-])"  # the character before a key name (so the key is whole)
# Password words, in several languages; any prefix may stand before them (PGPASSWORD, dbPassword).
_PW_WORDS = (
    r"(?i:pass(?:word|wd|phrase)|passwort|kennwort|wachtwoord|contrase(?:ñ|n)a|senha|salasana|"
    r"l(?:ö|o)senord|adgangskode|passord|heslo|jelsz(?:ó|o)|mot[_\-]?de[_\-]?passe|sshpass)"
    r"|пароль|密码|密碼|パスワード|비밀번호"
)
# Short password words stand alone or after a separator or a camel-case boundary (DB_PASS,
# smtpPass, psk), never inside a word (bypass, compass).
_PW_SHORT = (
    rf"(?:(?:{_IDC}*[_.\-])?(?i:pass|pwd|psk)|{_IDC}*[_.\-](?i:pw)"
    rf"|{_IDC}*[a-z0-9](?:Pass|Pwd|PASS|PWD))"
)
# `(?:[_.\-]|)` rather than `[_.\-]?`: RE2's prefilter takes an optional part as "anything", so
# `api[_.\-]?key` would leave the bare atom `key` (and `ession` of session key) to select this
# detector on every prompt; spelled as an alternation the atoms stay `api_key`, `apikey`, ...
_SEP_CHAR = r"(?:[_.\-]|)"
_CREDENTIAL_WORDS = (
    rf"(?i:secret|token|credentials?|api{_SEP_CHAR}key|access{_SEP_CHAR}key|"
    rf"private{_SEP_CHAR}key|signing{_SEP_CHAR}key|encryption{_SEP_CHAR}key|master{_SEP_CHAR}key|"
    rf"app{_SEP_CHAR}key|account{_SEP_CHAR}key|subscription{_SEP_CHAR}key|session{_SEP_CHAR}key|"
    rf"hmac{_SEP_CHAR}key|auth{_SEP_CHAR}key)"
)
_CREDENTIAL_SHORT = rf"(?:(?:{_IDC}*[_.\-])?(?i:auth|creds)|{_IDC}*[a-z0-9](?:Auth|Creds))"
# What may follow the word and still name the value itself (secret_key_base, API_TOKEN_PROD,
# passwords, token2); anything else (password_reset_url, token_type) names something else.
_SUFFIX = (
    r"(?:[_.\-]?(?i:key|value|str|string|b64|base64|hex|raw|plain|plaintext|base|prod|production|"
    r"dev|development|staging|live|local)){0,2}(?i:s)?[0-9]{0,2}"
)
# Tokens that are not credentials: pagination and CSRF tokens, LLM token counts and special
# tokens. A key ending so is matched first and yields no value.
_NOT_CREDENTIAL_LIST = (
    "csrf xsrf authenticity page continuation sync cancel cancellation max min num total input "
    "output completion prompt reasoning cached special eos bos pad unk sep mask cls image audio "
    "public publishable"
)
_NOT_CREDENTIAL_WORDS = _NOT_CREDENTIAL_LIST.split()
_NOT_CREDENTIAL = (
    rf"(?:(?:{_IDC}*[_.\-])?(?i:{'|'.join(_NOT_CREDENTIAL_WORDS)})"
    rf"|{_IDC}*[a-z0-9](?:{'|'.join(w.capitalize() for w in _NOT_CREDENTIAL_WORDS)}))"
    r"[_.\-]?(?i:token)"
)
_CLOSE = r"\\?[\"'`]?\]?"  # the key's closing quote (JSON, dict index)
# A type between the key and `=`: `password: str = `, `val pw: String = `, Go's
# `var pw string = `, C's `char pw[32] = `.
_TYPED = (
    r"[ \t]*:[ \t]*[A-Za-z_][\w.]*(?:<[\w, ]*>)?\??[ \t]*="
    r"|[ \t]+(?:string|String|str|\[\]byte|&str)[ \t]*=|\[[0-9]*\][ \t]*="
)
# `=`, `:`, `:=`, `::=`, `=>`, `==`, `!=`, `?=`, `.=`, `+=`, `??=`, `||=`; a typed assignment;
# `", "` after a quoted key (define('DB_PASSWORD', '...'), getenv("API_TOKEN", "...")); or prose:
# `password is ...`.
_SEP = (
    rf"(?:(?:{_TYPED}|[ \t]*(?::{{1,3}}=|=>|!==?|={{1,3}}|(?:\?\?|\|\||[?.+])=|:))[ \t]*"
    r"|[\"'][ \t]*,[ \t]*|[ \t]+(?i:is|was)[ \t]*:?[ \t]+)"
)
# Before a quoted value only: no operator at all (`password "..."`, Apache/nginx style) or a
# call (`password("...")`, `setPassword("...")`).
_SEP_QUOTED = rf"(?:{_SEP}|[ \t]*\([ \t]*|[ \t]+)"
_OPEN = r"(?:@?[bBrRuU]?\\?[\"'`])?"
# The value: up to a quote, comma, semicolon, backslash, `&` (the next query parameter) or white
# space; closing brackets at its end belong to the code around it.
_VALUE = r"(?P<v>[^\s\"'`,;\\&]{3,}(?:[,;]+[^\s\"'`,;\\&=:]+)*[^\s\"'`,;\\&)\]}])"


def _assignment(words: str, not_secret: str | None = None) -> str:
    key = rf"{_DELIM}(?:{words}){_SUFFIX}{_CLOSE}{_SEP}"
    positive = rf"{key}{_OPEN}{_VALUE}"
    if not_secret is None:
        return positive
    return rf"(?:{_DELIM}{not_secret}{_SUFFIX}{_CLOSE}{_SEP}|{positive})"


# A quoted value: everything up to the closing quote (a backslash ends it: an escaped quote).
_QUOTED_VALUE = r"@?[bBrRuU]?\\?[\"'`](?P<v>[^\"'`\n\\]{3,200})\\?[\"'`]"


def _quoted_assignment(words: str) -> str:
    return rf"{_DELIM}(?:{words}){_SUFFIX}{_CLOSE}{_SEP_QUOTED}{_QUOTED_VALUE}"


# A password in a sentence: "the password for the staging box is ...", "use password ...",
# "login: alice / ...", "log in as alice with ...". The value ends before sentence punctuation.
_PROSE_PW = r"(?i:password|passwort|passphrase|passcode|pwd)"
_PROSE = (
    rf"(?:\b{_PROSE_PW}[ \t]+(?i:for|of|to|on)[ \t]+"
    r"[^\n.;\\\"'`]{1,30}?[ \t](?i:is|was|are|=|:)[ \t]+"
    r"|\b(?i:use|using|with|enter|type|try)[ \t]+(?:(?i:the|my|your|our|this|a)[ \t]+)?"
    r"(?:(?i:new|admin|root|wifi|wi-fi|temporary|temp|initial|default)[ \t]+)?"
    rf"{_PROSE_PW}[ \t]*:?[ \t]+"
    # login: alice / pw, log in as alice with pw, credentials for the VPN: alice, password pw
    # (few enough spellings that the literal prefilter keeps them as atoms; `(?: |)`, not ` ?`,
    # so the atom is `sign in`, not the `sign` of "design")
    r"|\b(?i:log(?: |)in|sign(?: |)in|credentials?|creds|account|user(?: |)(?:name|id))\b"
    r"(?:[^\n=]{0,30}?(?:[ \t]*[:=]|[ \t]+(?i:is|are|with|as|using))"
    r"|[ \t]+(?i:is|are|as|with|to|using|for|username|user|the))*"
    r"[ \t]*[\"'`]?[A-Za-z0-9._@+\-]{2,31}[\"'`]?"
    r"(?:[ \t]*(?:/|\||,|:|;)[ \t]*(?:(?:(?i:the|my)[ \t]+)?(?i:password|pass|pwd|pw)"
    r"(?:[ \t]+(?i:is))?[ \t]*[:=]?[ \t]*)?"
    r"|[ \t]+(?:(?i:and|with|using)[ \t]+)?(?:(?i:the|my)[ \t]+)?(?i:password|pass|pwd|pw)"
    r"(?:[ \t]+(?i:is))?[ \t]*[:=]?[ \t]*"
    r"|[ \t]+(?i:and|with|using)[ \t]+)"
    r")[\"'`]?(?P<v>[^\s\"'`/][^\s\"'`]{2,}[^\s\"'`.,;:!?)\]}])"
)

_PW_KEY = rf"(?:{_IDC}*?{_PW_WORDS}|{_PW_SHORT})"
_CREDENTIAL_KEY = rf"(?:{_IDC}*?{_CREDENTIAL_WORDS}|{_CREDENTIAL_SHORT})"
# A whole key name for XML tags and attributes (no delimiter: `<` or `"` stands before it).
_XML_KEY = (
    rf"(?:{_IDC}*?(?:{_PW_WORDS}|{_CREDENTIAL_WORDS})|(?:{_IDC}*[_.\-])?"
    rf"(?i:pass|pwd|auth|creds)|{_IDC}*[a-z0-9](?:Pass|Pwd|Auth|Creds)){_SUFFIX}"
)

_QUERY_NAMES = either_case(
    "password=", "passwd=", "pwd=", "pass=", "secret=", "client_secret=", "api_key=", "api-key=",
    "apikey=", "access_token=", "auth_token=", "token=", "refresh_token=", "id_token=",
    "private_token=",
)  # fmt: skip

_CONNECTION_KEYS = (
    r"(?i:server|data source|datasource|host|hostname|address|addr|network address|dsn|driver|"
    r"provider|database|dbname|initial catalog|user id|userid|uid|user|username|port|sslmode|"
    r"encrypt|trusted_connection|persist security info|integrated security)"
)

DETECTORS = (
    Detector(
        "password_in_url",
        "secret",
        r"\b[A-Za-z][A-Za-z0-9+.\-]{1,30}://"
        r"(?P<v>[^\s:/?#\"'\[\]]*:[^\s/?\"']+@"
        r"(?:[A-Za-z0-9._~%\-]+|\[[0-9A-Fa-f:.]{2,}\]))",
        _url_credentials,
        confidence="validated",
        keep=(0, 0),
        # `://` is in every URL; `user:password@` after it is rare. The scheme is <= 31 bytes.
        first_start=located_by(
            r"://[^\s:/?#\"'\[\]]*:[^\s/?\"']+@(?:[A-Za-z0-9._~%\-]|\[)", back=31
        ),
        description="User name and password in a URL of any scheme (postgres://, mongodb+srv://, "
        "redis://:pw@, amqps://, jdbc:mysql://, https://, ftp://, ldap://, smtp://, ...).",
        source="https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1",
    ),
    Detector(
        "password_connection_string",
        "secret",
        rf"\b{_CONNECTION_KEYS}[ \t]*=[^;\n]{{0,200}};[ \t]*"
        r"(?:[A-Za-z][A-Za-z0-9 _]{0,30}=[^;\n]{0,80};[ \t]*){0,10}"
        r"(?i:password|pwd)[ \t]*=[ \t]*"
        r"(?P<v>\{[^}\n]+\}|\"[^\"\n]+\"|'[^'\n]+'"
        r"|[^;\s\"'{](?:[^;\n\"']*[^;\s\"'])?)",
        _connection_password,
        confidence="context",
        keep=(0, 0),
        description="Password in an ADO.NET, ODBC, JDBC or OLE DB connection string "
        "(Server=...;User Id=...;Password=...).",
        source="https://learn.microsoft.com/en-us/dotnet/framework/data/adonet/connection-string-syntax",
    ),
    Detector(
        "credential_in_url_query",
        "secret",
        # The separator, the name and `=` make the prefilter's atoms (`?token=`, `&password=`;
        # the bare words are everywhere in prose and code).
        "(?:"
        + "|".join(rf"{sep}{_QUERY_NAMES}" for sep in (r"\?", "&", "#", ";"))
        + r")(?P<v>[^&#;\s\"'<>]{6,})",
        _query_password,
        confidence="context",
        keep=(0, 0),
        description="Password, token or API key in a URL query or form body "
        "(?access_token=..., &password=...).",
        source="https://www.rfc-editor.org/rfc/rfc6750#section-2.3",
        generic=True,
    ),
    Detector(
        "password_assignment",
        "secret",
        _assignment(_PW_KEY),
        password_value,
        confidence="context",
        keep=(0, 0),
        description="A password assigned a literal in code, config, env files, JSON, YAML, TOML "
        'or prose (password = ..., DB_PASS=..., "pwd": ..., Passwort: ...).',
        source="https://cwe.mitre.org/data/definitions/259.html",
        generic=True,
    ),
    Detector(
        "password_assignment_quoted",
        "secret",
        _quoted_assignment(_PW_KEY),
        quoted_password_value,
        confidence="context",
        keep=(0, 0),
        description='A quoted password literal, whatever characters it holds (password = "...", '
        'setPassword("..."), password "..."; a passphrase of random words).',
        source="https://cwe.mitre.org/data/definitions/259.html",
        generic=True,
    ),
    Detector(
        "password_in_prose",
        "secret",
        _PROSE,
        password_value,
        confidence="context",
        keep=(0, 0),
        description="A password written in a sentence (the password for the box is ..., use "
        "password ..., login: alice / ...).",
        source="https://cwe.mitre.org/data/definitions/256.html",
        generic=True,
    ),
    Detector(
        "django_secret_key",
        "secret",
        r"\b(?i:(?:django_)?secret_key)[\"']?[ \t]*(?::|=|=>)[ \t]*[bru]?[\"']?"
        r"(?P<v>(?:django-insecure-)?[a-z0-9!@#$%^&*(\-_=+)]{50})(?:[\"'\s,]|$)",
        _django_key,
        confidence="context",
        keep=(0, 0),
        description="Django SECRET_KEY: 50 characters of get_random_secret_key()'s alphabet "
        "assigned to SECRET_KEY (settings.py, .env).",
        source="https://docs.djangoproject.com/en/stable/ref/settings/#secret-key",
    ),
    Detector(
        "generic_secret",
        "secret",
        _assignment(_CREDENTIAL_KEY, _NOT_CREDENTIAL),
        _secret_value,
        confidence="context",
        keep=(0, 0),
        description="A random-looking value assigned to a key named secret, token, api_key, "
        "access_key, private_key, client_secret, auth or credentials, in any syntax.",
        source="https://cwe.mitre.org/data/definitions/798.html",
        generic=True,
    ),
    Detector(
        "credential_xml",
        "secret",
        # A key that names no credential (authenticity_token, csrf_token) is matched first and
        # yields no value.
        rf"(?:[<\"'](?:[A-Za-z0-9_\-]+:)?{_NOT_CREDENTIAL}[>\"']"
        rf"|(?i:key|name)[ \t]*=[ \t]*[\"']{_NOT_CREDENTIAL}[\"']"
        rf"|(?:<(?:[A-Za-z0-9_\-]+:)?{_XML_KEY}(?:[ \t][^>\n]*)?>\s*"
        rf"|(?i:key|name)[ \t]*=[ \t]*[\"']{_XML_KEY}[\"'][ \t]+(?i:value)[ \t]*=[ \t]*[\"'])"
        r"(?P<v>[^<\"'\s]{4,}))",
        password_value,
        confidence="context",
        keep=(0, 0),
        # Its key words (`token`, `pass`, `auth`) are everywhere; a value needs `<tag>` and four
        # characters, or a `value="` attribute. Anywhere: a csrf `"page_token"` seen earlier
        # consumes text, so a match can start before either.
        first_start=located_by(
            r"<[^>\n]{3,}>\s*[^<\"'\s]{4}", r"(?i:value)[ \t]*=[ \t]*[\"'][^<\"'\s]{4}", back=None
        ),
        description="Password or secret in an XML element or key/value attribute pair (Maven "
        "settings.xml <password>, .NET <add key=... value=...>, Spring <property>).",
        source="https://maven.apache.org/settings.html#servers",
        generic=True,
    ),
    Detector(
        "password_in_code_call",
        "secret",
        r"(?:\b(?:NetworkCredential|PasswordAuthentication|UsernamePasswordCredentials?|"
        r"HTTPBasicAuth|HTTPDigestAuth|BasicAuth|PlainTextAuthProvider)[ \t]*\([ \t]*@?"
        r"[\"'][^\"'\n]*[\"'][ \t]*,[ \t]*@?"
        # `auth=` and `auth =` as two branches with another between them, so RE2 does not
        # factor them into one `auth` (the prefilter's atom would be the `auth` of "author")
        r"|\bauth=[ \t]*[(\[][ \t]*[\"'][^\"'\n]*[\"'][ \t]*,[ \t]*"
        r"|\bgetConnection[ \t]*\([^,()\n]+,[ \t]*[\"'][^\"'\n]*[\"'][ \t]*,[ \t]*"
        r"|\bauth[ \t][ \t]*=[ \t]*[(\[][ \t]*[\"'][^\"'\n]*[\"'][ \t]*,[ \t]*"
        r"|\bConvertTo-SecureString[ \t]+(?:-String[ \t]+)?)"
        r"[\"'](?P<v>[^\"'\n]+)[\"']",
        url_password,
        confidence="context",
        keep=(0, 0),
        description="Password literal passed to a credential constructor (NetworkCredential, "
        "HTTPBasicAuth, requests auth=(user, pw), getConnection, ConvertTo-SecureString).",
        source="https://learn.microsoft.com/en-us/dotnet/api/system.net.networkcredential.-ctor",
    ),
    Detector(
        "sql_password",
        "secret",
        # Quoted after IDENTIFIED BY or WITH PASSWORD; Oracle's CREATE/ALTER USER also takes an
        # unquoted password.
        r"(?:\b(?i:identified)[ \t]+(?:(?i:with)[ \t]+\w+[ \t]+)?(?i:by)(?:[ \t]+(?i:password))?"
        r"[ \t]+[\"']"
        # (WITH PASSWORD spelled whole for the prefilter: `and` and `password` apart are in
        # every other prompt)
        r"|\b(?i:with|and)[ \t](?i:password)[ \t]*=?[ \t]*[\"']"
        r"|\b(?i:with|and)[ \t]+(?i:un)?(?i:encrypted)[ \t]+(?i:password)[ \t]*=?[ \t]*[\"']"
        r"|\b(?i:with|and)[ \t][ \t][ \t]*(?i:password)[ \t]*=?[ \t]*[\"']"
        r"|\b(?i:create|alter)[ \t]+(?i:user)[ \t]+[^\s;]+[ \t]+(?i:identified)[ \t]+(?i:by)[ \t]+)"
        r"(?P<v>[^\"'\s;]+)",
        _sql_password,
        confidence="context",
        keep=(0, 0),
        description="Password in a SQL user statement (CREATE/ALTER USER ... IDENTIFIED BY, "
        "WITH PASSWORD, CREATE LOGIN ... WITH PASSWORD =).",
        source="https://www.postgresql.org/docs/current/sql-createrole.html",
    ),
    Detector(
        "oracle_credentials",
        "secret",
        r"(?:\bjdbc:oracle:(?:thin|oci8?|kprb):@?"
        # The tool's name with the blank after it is the prefilter's atom (`[ \t][ \t]*`, not
        # `[ \t]+`: a repeated part is no atom; `rman` alone is in "performance"). RMAN takes its
        # connection after TARGET, CATALOG or AUXILIARY (`rman target sys/pw@db`, and inside
        # RMAN `connect target ...`), so those words are atoms too ("German " holds `rman `).
        r"|\b(?:sqlplus|expdp|impdp|sqlldr|dgmgrl)[ \t][ \t]*(?:-[A-Za-z]+[ \t]+)*"
        r"|\b(?i:rman)[ \t]+(?:[^\s/]+[ \t]+){0,4}?(?i:target|catalog|auxiliary)[ \t]*(?:=[ \t]*)?"
        r"|\b(?i:connect)[ \t]+(?i:target|catalog|auxiliary)[ \t]+)"
        r"(?P<v>[A-Za-z][A-Za-z0-9_$#]*/[^\s@/\"']+(?:@[A-Za-z0-9._\-]+)?)"
        r"(?:[\s:/\"'@]|$)",
        _oracle_credentials,
        confidence="validated",
        keep=(0, 0),
        description="Oracle user/password in a JDBC thin URL or on a sqlplus/expdp/dgmgrl "
        "command line or after rman's TARGET/CATALOG (scott/pw@db).",
        source="https://docs.oracle.com/en/database/oracle/oracle-database/19/jjdbc/"
        "data-sources-and-URLs.html",
    ),
)
