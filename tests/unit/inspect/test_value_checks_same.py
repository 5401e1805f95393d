"""The value checks made cheaper in issue 15's step 4 (`secrets_generic`'s, `is_placeholder`,
`is_filler`, `_aws_secret`, the base58 shapes) return exactly what their frozen copies in
`frozen_value_checks.py` return, value and type, over broad generated inputs: random strings of
several alphabets and lengths 0-300, Unicode with the case folds that differ between `str.lower`
and `re.IGNORECASE` (long s, dotless i, dotted I, Kelvin sign), the bench corpus's planted values
(PEM blocks among them) and decoys, placeholders, references, paths, URLs, identifiers, words
and passphrases."""

from __future__ import annotations

import importlib.util
import random
import string
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

import frozen_value_checks as old
import pytest
from aigate.inspect.detectors import base, financial, pii_national_americas, secrets_cloud
from aigate.inspect.detectors import secrets_generic as new
from aigate.inspect.detectors.base import PLACEHOLDER_WORDS
from stdnum import iban
from stdnum.us import ssn

BENCH = Path(__file__).parents[3] / "bench" / "bench_scan.py"

# long s, dotless i, dotted I, Kelvin sign, alone and in words
_ODD_CASES = "\u017f\u0131\u0130\u212aK\u017ft\u0130d\u0130o\u0131d\u0131k"
_UNICODE = "éÉßçÇñÑøØåÅœŒ密碼パスワード비밀번호пароль²٣߁ǅǈＡａ１…\u0307\u00a0"
_SYMBOLS = "!#$%&*+-./:;<=>?@[]^_{|}~()\"',\\`"
_ALPHABETS = (
    string.ascii_lowercase,
    string.ascii_letters,
    string.ascii_letters + string.digits,
    string.ascii_letters + string.digits + "-_",
    string.ascii_letters + string.digits + "+/=",
    string.hexdigits,
    string.digits + "-.,:_+/",
    string.ascii_letters + string.digits + _SYMBOLS,
    string.printable,
    string.ascii_letters + string.digits + _ODD_CASES,
    string.ascii_letters + _UNICODE + _ODD_CASES + "-_.",
    "abcdefghijklmnopqrstuvwxyz0123456789" * 2 + "qwertyuiopasdfghjkl",
    "aA1!",
    "\u017f\u0131\u0130\u212akisSIx*<>${}%()",
)
_WORD_LIST = """
    password secret token key api admin root user prod production db database master replica
    maple orbit canyon quiet lantern harbor meadow river stone the and of summer winter welcome
    hello monkey dragon value string get set user id by name config settings env vault self
    this return function example sample test demo dummy changeme your here insert replace
    Summer Winter Welcome Tr0ub4dor hunter admin123 qwerty asdf foobar lorem ipsum"""
_WORDS = _WORD_LIST.split()
_SHAPES = (
    "${{{w}}}", "$({w})", "%{W}%", "%({w})s", "{{{{{w}}}}}", "#{{{w}}}", "<{w}>", "[{w}]",
    "{{{w}}}",
    "self.{w}", "this.{w}", "env:{W}", "vault:{w}/{x}", "file:{w}", "op://{w}/{x}", "arn:{w}",
    "sha256:{x}", "md5:{x}", "enc[{x}]", "enc({x})", "//{w}", "{w}:{n}", "@{w}.{w}:{n}",
    "__{w}__", "{w}.{w}", "{W}.{W}.{W}", "settings.{W}_{W}", "{w}_{w}", "{W}_{W}", "{w}{C}{w}",
    "/etc/{w}/{w}", "/run/secrets/{w}", "/{x}/{x}/{x}", "~/.{w}/{w}.pem", "./{w}.key",
    "../{w}.json", "C:\\{w}\\{w}.pfx", "{w}.yaml", "{x}.txt", "https://{w}.com/{x}",
    "postgres://{w}:{x}@{w}.internal:5432/{w}", "{w}@{w}.com", "{w}+{w}@{x}.io", "{n}", "v{n}.{n}",
    "{n}.{n}.{n}", "{n}-{n}kb", "&{w}", "*{w}", "!Ref {w}", ":{w}", "@{W}", "# {w} {w}",
    "--{w}", "|", ">-", "!{x}", "#{x}", "{w}-{w}-{w}-{n}", "{W}.{W}.{W}{n}", "{w} {w} {w} {w}",
    "{w}_{w}_{w}", "{W}_{w}_{w}{n}", "{w}+{w}+{w},{w}", "{w}()", "get_{w}()", "cfg[\"{w}\"]",
    "{w}[0]", "({w})", "a == b", "x => y", "{w} && {w}", "return {w}", "function {w}",
    "\\d{x}", "(?{w})", "{w};)", "{w}){{", "{W}{n}!", "{w}{n}", "{W}{w}{n}#", "{x}{x}",
    "sk-{x}", "pk_live_{x}", "pk.{x}", "pk_test_{x}", "django-insecure-{x}", "-----BEGIN {x}",
    "{w}/{x}@{w}", "{{{x}}}", "\"{x}\"", "'{x} '", " {x} ", "{x}\n", "{x}%21{x}", "{w}%40{n}",
    "{w}…", "...{x}", "***{x}", "xxxx{x}", "{x}_here", "{x}-here", "your_{x}", "YOUR-{X}",
)  # fmt: skip
_SEQUENCE_RUNS = (
    "abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zyxwvutsrq", "aaaaaaaa",
)  # fmt: skip


@cache
def _bench_values() -> list[str]:
    """The bench corpus's planted values, and the words of its decoys and filler text."""
    spec = importlib.util.spec_from_file_location("bench_scan", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    values = []
    for seed in (1, 2, 3):
        planted, decoys = bench.corpus(seed, 3)
        values += [value for _kind, _text, value in planted]
        for text in decoys + [text for _kind, text, _value in planted]:
            values += text.split()
            values += [part.strip("'\"`,.;:()") for part in text.split(" = ")]
    values += [text[:300] for text in bench.FILLER]
    return values


def _random_text(rng: random.Random) -> str:
    alphabet = rng.choice(_ALPHABETS)
    size = rng.choice((rng.randrange(0, 8), rng.randrange(8, 40), rng.randrange(40, 301)))
    return "".join(rng.choice(alphabet) for _ in range(size))


def _shaped(rng: random.Random) -> str:
    word = rng.choice(_WORDS)
    alphabet = string.ascii_letters + string.digits
    token = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30)))
    return rng.choice(_SHAPES).format(
        w=word,
        W=word.upper(),
        C=word.capitalize(),
        x=token,
        X=token.upper(),
        n=rng.randrange(0, 100000),
    )


def _phrase(rng: random.Random) -> str:
    """Three to five words joined as a passphrase, some with digits or a symbol."""
    words = []
    for _ in range(rng.randrange(3, 6)):
        word = rng.choice(_WORDS) if rng.random() < 0.3 else _letters(rng, rng.randrange(2, 13))
        if rng.random() < 0.3:
            word = word.capitalize()
        words.append(word + rng.choice(("", "", "7", "42", "!", "2024#")))
    return rng.choice("-._+~, _").join(words)


def _letters(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(size))


def _mutated(rng: random.Random, value: str) -> str:
    """The value with a case change, an odd case fold, a typed run or a symbol put in."""
    where = rng.randrange(len(value) + 1)
    insert = rng.choice(
        (*_ODD_CASES, *_SYMBOLS, rng.choice(PLACEHOLDER_WORDS), rng.choice(_SEQUENCE_RUNS)[:8],
         rng.choice(_WORDS), str(rng.randrange(10000)))
    )  # fmt: skip
    kind = rng.randrange(4)
    if kind == 0:
        return value.swapcase()
    if kind == 1:
        return value.upper()
    return value[:where] + insert + value[where:]


@cache
def _values() -> tuple[str, ...]:
    rng = random.Random(15)
    values = list(_bench_values())
    values += list(PLACEHOLDER_WORDS)
    values += [word for word in old._EXAMPLE_WORDS] + [word + "123!" for word in old._EXAMPLE_WORDS]
    values += ["", " ", "-----", "a", "ab", "abc", "Passwörd1!"]
    values += [odd * size for odd in _ODD_CASES[:4] for size in (1, 4, 9, 20)]
    values += ["ops_eyJ" + "x" * size + "A1b2" * (size // 8) for size in range(0, 300, 7)]
    for size in range(0, 300, 5):  # padded templates: a random head, then mostly one character
        head = "".join(rng.choice(string.ascii_letters) for _ in range(rng.randrange(10, 40)))
        values.append(head + rng.choice("x*0.") * size + head[: size // 3])
        values.append("".join(rng.choice(("x", "xy", "xyz", "x=")) for _ in range(size // 2)))
    values += [_random_text(rng) for _ in range(2500)]
    values += [_shaped(rng) for _ in range(1500)]
    values += [_phrase(rng) for _ in range(500)]
    values += [_mutated(rng, rng.choice(values) or "x") for _ in range(1000)]
    return tuple(dict.fromkeys(values))  # each value once, in a fixed order


def _same(old_check: Callable[[str], object], new_check: Callable[[str], object]) -> None:
    for value in _values():
        expected, got = old_check(value), new_check(value)
        assert (type(got), got) == (type(expected), expected), value


_CHECKS = {
    "is_placeholder": (old.is_placeholder, base.is_placeholder),
    "is_filler": (old.is_filler, base.is_filler),
    "_reference": (old._reference, new._reference),
    "_classes": (old._classes, new._classes),
    "patterned": (old.patterned, new.patterned),
    "wordy": (old.wordy, new.wordy),
    "example_value": (old.example_value, new.example_value),
    "_sigil_reference": (old._sigil_reference, new._sigil_reference),
    "_path": (old._path, new._path),
    "literal": (old.literal, new.literal),
    "literal quoted": (partial(old.literal, quoted=True), partial(new.literal, quoted=True)),
    "passphrase": (old.passphrase, new.passphrase),
    "passphrase spaces": (
        partial(old.passphrase, spaces=True),
        partial(new.passphrase, spaces=True),
    ),
    "random_value": (old.random_value, new.random_value),
    "random_value 8 quoted": (
        partial(old.random_value, min_len=8, quoted=True),
        partial(new.random_value, min_len=8, quoted=True),
    ),
    "password_value": (old.password_value, new.password_value),
    "password_value quoted": (
        partial(old.password_value, quoted=True),
        partial(new.password_value, quoted=True),
    ),
    "quoted_password_value": (old.quoted_password_value, new.quoted_password_value),
    "url_password": (old.url_password, new.url_password),
    "url_password with user": (
        partial(old.url_password, user="admin"),
        partial(new.url_password, user="admin"),
    ),
    "_secret_value": (old._secret_value, new._secret_value),
    "_sql_password": (old._sql_password, new._sql_password),
    "_django_key": (old._django_key, new._django_key),
    "_url_credentials": (old._url_credentials, new._url_credentials),
    "_connection_password": (old._connection_password, new._connection_password),
    "_query_password": (old._query_password, new._query_password),
    "_oracle_credentials": (old._oracle_credentials, new._oracle_credentials),
    "_aws_secret": (old._aws_secret, secrets_cloud._aws_secret),
}


@pytest.mark.parametrize("name", _CHECKS)
def test_value_check_returns_what_it_returned(name):
    _same(*_CHECKS[name])


def test_password_value_of_user_and_password_pairs_is_unchanged():
    rng = random.Random(16)
    values = _values()
    for _ in range(2000):
        user, password = rng.choice(values), rng.choice(values)
        assert new.url_password(password, user) == old.url_password(password, user)
        credentials = f"{user}:{password}@host"
        assert new._url_credentials(credentials) == old._url_credentials(credentials)


def _base58_values(alphabet: str) -> list[str]:
    rng = random.Random(17)
    values = [v for v in _values() if v and all(ch in alphabet for ch in v)]
    for _ in range(3000):
        values.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(20, 46))))
    values += ["1" * rng.randrange(1, 5) + v for v in values[-500:]]  # leading zero bytes
    return values


def test_base58_shapes_return_what_they_returned():
    coins = [((0x00, 0x05), financial._B58), ((0x30, 0x32), financial._B58),
             ((0x1E, 0x16), financial._B58), ((0x41,), financial._B58),
             ((0x00,), financial._XRP58)]  # fmt: skip
    for versions, alphabet in coins:
        new_shape = financial._base58(bytes(versions), alphabet)[0]
        old_shape = old.base58_shape(bytes(versions), alphabet)
        for value in _base58_values(alphabet):
            assert new_shape(value) is old_shape(value), value


def test_solana_shape_returns_what_it_returned():
    for value in _base58_values(financial._B58):
        assert financial._solana(value) is old._solana(value), value


def _iban_values() -> list[str]:
    """IBAN-like values of every registry country: right and wrong check digits and layouts,
    grouped by spaces or hyphens, lower case, too short or long, with Unicode look-alikes."""
    rng = random.Random(18)
    chars = {"n": string.digits, "a": string.ascii_uppercase,
             "c": string.ascii_uppercase + string.ascii_lowercase + string.digits}  # fmt: skip
    values = []
    for cc, layout in financial._IBAN_REGISTRY:
        for _ in range(40):
            bban = "".join(
                rng.choice(chars[kind] if rng.random() > 0.05 else string.ascii_uppercase)
                for count, kind in financial._LAYOUT_PART.findall(layout)
                for _ in range(int(count))
            )
            bban = bban[: len(bban) + rng.choice((0, 0, 0, -1))] + "7" * rng.choice((0, 0, 0, 1))
            check = iban.calc_check_digits(cc + "00" + bban)
            if rng.random() < 0.3:
                check = f"{rng.randrange(100):02d}"
            number = cc + check + bban
            values.append(number)
            values.append(" ".join(number[i : i + 4] for i in range(0, len(number), 4)))
            values.append("-".join(number[i : i + 4] for i in range(0, len(number), 4)))
            values.append(number.lower())
            values.append(number[: rng.randrange(0, 6)])
            values.append(number.replace("0", "\uff10").replace("-", "\u2013"))
            values.append(number[:4] + "`." + number[4:] + " \n")
    values += ["XX00" + "1" * n for n in range(0, 40)] + ["GB" + "9" * n for n in range(70)]
    values += ["DE89ß370400440532013000", "de89 3704 0044 0532 0130 00", "A1", "", "----"]
    return values + [v for v in _values() if len(v) < 80]


def test_iban_checks_return_what_python_stdnum_returned():
    for value in _iban_values():
        assert financial._iban_mod97(value) is old.iban_mod97(value), value
        try:
            expected: object = old.iban_shape(value)
        except ValueError as e:  # stdnum's own error on a value the pattern never matches
            expected = type(e)
        try:
            got: object = financial._iban_shape(value)
        except ValueError as e:
            got = type(e)
        assert got == expected, value


def test_ssn_rule_says_what_python_stdnum_says():
    """Every area with the edge groups and serials, the advertised numbers, random numbers, and
    what stdnum reads differently from ASCII (Unicode digits, lengths, separators left in)."""
    numbers = [f"{area:03d}{group}{serial}" for area in range(1000)
               for group in ("00", "01", "45", "99") for serial in ("0000", "0001", "9999")]
    numbers += ["078051120", "457555462", "219099999", "078051121", "", "1", "12345678",
                "1234567890", "123-45-6789", "123 45 6789", "\uff11" * 9, "١٢٣٤٥٦٧٨٩",
                "12345678\u0663", "abcdefghi", " 123456789"]
    rng = random.Random(15)
    numbers += [f"{rng.randrange(10**9):09d}" for _ in range(20_000)]
    for number in numbers:
        assert pii_national_americas._ssn_number(number) is ssn.is_valid(number), number
