"""A frozen copy of the value checks as they were before issue 15's step 4 made them cheaper
(`secrets_generic`'s value checks, `base.is_placeholder` and `base.is_filler`,
`secrets_cloud._aws_secret`, the base58 shape checks and the IBAN checks of `financial`), for
`test_value_checks_same.py` to compare the new ones with. Do not edit: this is the reference
the new code must agree with on every input."""

# ruff: noqa

from __future__ import annotations

import hashlib
import operator
import re
from itertools import islice
from urllib.parse import unquote

from aigate.inspect.detectors.base import PLACEHOLDER_WORDS, entropy, random_token
from aigate.inspect.detectors.financial import _B58, _b58decode
from stdnum import iban

# --- base.is_placeholder ---------------------------------------------------------------------

_PLACEHOLDER = re.compile("|".join(re.escape(word) for word in PLACEHOLDER_WORDS))

_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl")
_RUN = 8  # this many sequential or identical characters in a row are typed, not random
_TYPED_GRAMS = sorted(
    {s[i : i + _RUN] for s in _SEQUENCES for i in range(len(s) - _RUN + 1)}
    | {s[i : i + _RUN][::-1] for s in _SEQUENCES for i in range(len(s) - _RUN + 1)}
)
_TYPED_RUN = re.compile("|".join(_TYPED_GRAMS) + rf"|([a-z0-9])\1{{{_RUN - 1}}}")
# The same two checks as one RE2 automaton (identical runs spelled out, RE2 has no
# back-references): a single linear pass instead of Python's alternation tried at every offset,
# which cost ~15 us on a 128-character token and ran twice per finding. Held in a one-pattern
# set: its Match is a single call, where a compiled pattern's search builds a match object.
import re2 as _re2


def _placeholder_or_run() -> _re2.Set:
    found = _re2.Set.SearchSet(_re2.Options())
    found.Add(
        "|".join(
            [_re2.escape(word) for word in PLACEHOLDER_WORDS]
            + _TYPED_GRAMS
            + [c * _RUN for c in "abcdefghijklmnopqrstuvwxyz0123456789"]
        )
    )
    found.Compile()
    return found


_PLACEHOLDER_OR_RUN = None if _re2 is None else _placeholder_or_run()
# Its C++ Match past the Python wrapper (which only checks the text's type): the list of
# matching patterns, empty when none matches.
_PLACEHOLDER_OR_RUN_MATCH = (
    None
    if _PLACEHOLDER_OR_RUN is None
    else getattr(_PLACEHOLDER_OR_RUN, "_set", _PLACEHOLDER_OR_RUN).Match
)


def _typed_run(low: str) -> bool:
    """A run like `abcdefgh`, `12345678`, `qwertyui` or `aaaaaaaa` (forwards or backwards)."""
    return _TYPED_RUN.search(low) is not None


def is_placeholder(value: str) -> bool:
    """True for template values (`<your-key>`, `xxxx`, `${TOKEN}`, `changeme`, `...EXAMPLE`)
    and typed runs (`abcdef`, `123456`, `aaaaaa`) no random generator produces."""
    low = value.lower()
    if len(set(low[:16])) <= 2 and len(set(low)) <= 2:  # aaaa, 0000, x-x-x
        return True
    if _PLACEHOLDER_OR_RUN_MATCH is not None:
        return bool(_PLACEHOLDER_OR_RUN_MATCH(low.encode()))
    return _PLACEHOLDER.search(low) is not None or _typed_run(low)


# --- base.is_filler ----------------------------------------------------------------------------

_DOUBLED = re.compile(r"(.)\1", re.DOTALL)


def is_filler(value: str) -> bool:
    if not value:
        return False
    candidates = set(value[:2])
    candidates.update(m.group(1) for m in _DOUBLED.finditer(value))
    return any(value.count(c) * 2 >= len(value) for c in candidates)


# --- secrets_generic's value checks -----------------------------------------------------------

# --- value checks -------------------------------------------------------------------------------

# Text inside a value that marks it as someone's example, a label or a reference.
_EXAMPLE_FRAGMENT = re.compile(
    r"pass|passwd|p@ss|secret|changeme|changeit|example|sample|dummy|placeholder|your|"
    r"redacted|lorem|foobar|foobared|qwerty|asdf|xxx|\*\*\*|\.\.\.|\u2026|api[_-]?key|token|"
    r"fake|mock|test|demo|default|insert|replace|todo|fixme|<|>|\{\{|\$\{|%\(",
)
# The case folds Python's IGNORECASE makes beyond str.lower() (long s, dotless and dotted i).
_FOLD = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i"})


def _example_fragment(value: str) -> bool:
    """`_EXAMPLE_FRAGMENT` anywhere in the value, whatever its case. Searched in the folded
    value rather than with IGNORECASE: a case-insensitive alternation is tried at every offset
    (~20 us on a 100-character token), a case-sensitive one skips to its first letters."""
    if not value.isascii():
        value = value.translate(_FOLD)
    return _EXAMPLE_FRAGMENT.search(value.lower()) is not None


# Values whose letters alone are a word people put in examples (admin123, Welcome1!, root).
_EXAMPLE_WORD_LIST = """
    pw pwd admin administrator root user username guest login letmein welcome hello abc abcd
    abcde abcdef abcxyz xyz foo bar baz qux quux hunter master god love iloveyou monkey dragon
    shadow sunshine princess football baseball trustno tiger scott key apikey none null nil empty
    blank value string text mypw mykey mytoken mysecret s k x y z a b c q w e r t"""
_EXAMPLE_WORDS = frozenset(_EXAMPLE_WORD_LIST.split())
_LONGEST_EXAMPLE = max(map(len, _EXAMPLE_WORDS))
# Where a value is code or configuration pointing somewhere else, not a literal: a variable
# (`$VAR`, `${VAR}`, `$(cmd)`, `%VAR%`, `%(name)s`), a call or index (`get_pw()`, `cfg["pw"]`),
# a template or collection (`{pw}`, `[REDACTED]`), a URL or a known secret-store reference.
# (Two patterns: what the value starts with, matched once, and what it holds anywhere; as one
# search every start-anchored alternative was tried at every offset.)
_REFERENCE_START = re.compile(
    r"(?:\$[A-Za-z_{(]|%[A-Za-z_][\w.]*%$|%\(|self\.|this\.|env[:.]|vault:|file:|ref\+|op://|"
    r"sm://|arn:|secretsmanager:|awssm:|keyvault:|projects/|sha\d+:|md5:|enc\[|enc\(|[\[{])"
    r"|//|@?[\w.\-]+:\d{2,5}$"
    r"|__\w+__$"
    r"|(?:true|false|yes|no|on|off|null|none|nil|undefined|required|optional|enabled|disabled|"
    r"string|str|bool|int|number|object|array|any|password|secret|token|hidden)$",
    re.IGNORECASE,
)
_REFERENCE_ANYWHERE = re.compile(r"\$\{|\{\{|#\{|%\(\w+\)[sd]|://", re.IGNORECASE)


def _reference(value: str) -> bool:
    return (
        _REFERENCE_START.match(value) is not None or _REFERENCE_ANYWHERE.search(value) is not None
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


def _classes(value: str) -> int:
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
    if (len(set(low[:16])) < 4 and len(set(low)) < 4) or _REPEATED.fullmatch(low):
        return True
    need = 0.6 * (len(low) - 1)
    codes = list(map(ord, low))
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
    pairs = [w[i : i + 2].lower() for w in words for i in range(len(w) - 1)]
    if len(pairs) < 2 or sum(len(w) for w in words if len(w) > 2) < 0.6 * len(value):
        return False
    return sum(p in _COMMON_PAIRS for p in pairs) >= 0.5 * len(pairs)


def example_value(value: str) -> bool:
    """A placeholder, a documentation value or a common default (`changeme`, `admin123`,
    `your-api-key`, `sk-...`, `abcdefgh`, `12345678`)."""
    if is_placeholder(value) or _example_fragment(value):
        return True
    # (a value with more letters than the longest example word is none of them: stop there)
    letters = "".join(islice(filter(str.isalpha, value.lower()), _LONGEST_EXAMPLE + 1))
    return letters in _EXAMPLE_WORDS or patterned(value)


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
        or (_DOTTED.match(value) and wordy(value))
        or _path(value)
        or _NUMBER.match(value)
        or _EMAIL.match(value)
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
    parts = [p for p in re.split(r"[\s\-_.+~,]+" if spaces else r"[\-_.+~,]+", value) if p]
    words = [p.lower() for p in parts if p[:3].isalpha()]
    if len(words) < 3 or not all(_PHRASE_PART.fullmatch(p) for p in parts):
        return False
    if "_" in value and value.lower() == value and not any(c.isdigit() for c in value):
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
    if value.startswith("-----"):  # a PEM block: the private-key detectors report it
        return False
    h = entropy(value)
    bare = value.replace("-", "").replace("_", "").replace(".", "")
    if not any(map(str.isdigit, value)) and (not bare or bare.isalpha()):
        letters = list(filter(str.isalpha, value))
        upper = list(map(str.isupper, letters))
        if any(upper) and any(map(str.islower, letters)):
            switches = sum(map(operator.ne, upper, upper[1:]))
            return len(value) >= 16 and switches >= 0.25 * len(letters) and h >= 3.3
        return len(value) >= 20 and h >= 3.5
    # About the 0.5th percentile of random hexadecimal of that length (the poorest alphabet).
    n = len(value)
    return h >= (2.3 if n < 16 else 2.6 if n < 20 else 2.8 if n < 24 else 2.9 if n < 32 else 3.1)


def password_value(value: str, quoted: bool = False) -> bool:
    """A password a person may have chosen: three character classes (`Summer2024!`,
    `Tr0ub4dor&3`, `%Q_x7...`), two with a digit or symbol and not word-like, a passphrase of
    random words, or random; never a word, example, reference or number (`hunter2`, `Summer2024`
    and `admin123` are not enough)."""
    if len(value) < 6 or not literal(value, quoted) or example_value(value) or entropy(value) < 2.5:
        return False
    if passphrase(value):
        return True
    classes = _classes(value)
    if classes >= 3 and not wordy(value):
        return True
    if classes == 2 and len(value) >= 8 and not value.isalpha() and not wordy(value):
        return True
    return random_value(value, quoted=quoted)


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


# --- secrets_cloud._aws_secret ------------------------------------------------------------------


def _aws_secret(value: str) -> bool:
    has_classes = sum(any(f(ch) for ch in value) for f in (str.islower, str.isupper, str.isdigit))
    return has_classes == 3 and "EXAMPLEKEY" not in value and random_token(4.0)(value)


# --- financial: the base58 shapes ---------------------------------------------------------------


def _has(text: str, kind) -> bool:
    return any(kind(ch) for ch in text)


def base58_shape(versions: bytes, alphabet: str = _B58):
    def shape(value: str) -> bool:
        body = value[1:]
        if not (_has(body, str.isdigit) and _has(body, str.isupper) and _has(body, str.islower)):
            return False  # "rightwardsArrowThroughGreaterthan" is a name, not an address
        raw = _b58decode(value, alphabet)
        return len(raw) == 25 and raw[0] in versions

    return shape


def _solana(value: str) -> bool:
    """A base58 ed25519 public key: 32 bytes, letters of both cases and digits."""
    if not (_has(value, str.isdigit) and _has(value, str.isupper) and _has(value, str.islower)):
        return False
    return len(_b58decode(value)) == 32


# --- financial: the IBAN checks through python-stdnum ------------------------------------------


def iban_mod97(value: str) -> bool:
    try:
        return bool(iban.validate(value, check_country=False))
    except ValueError:
        return False


def iban_shape(value: str) -> bool:
    number = iban.compact(value)
    fixed = number[:2] + iban.calc_check_digits(number) + number[4:]
    try:
        iban.validate(fixed, check_country=False)
    except ValueError:
        return False
    return True
