"""National identification, tax and company numbers of Italy, Spain and Portugal (see
pii_national for how validator, checksum and labels divide the work)."""

from __future__ import annotations

from stdnum.es import cif, dni, nie
from stdnum.it import codicefiscale, iva
from stdnum.pt import cc as pt_cc
from stdnum.pt import nif as pt_nif

from aigate.inspect.detectors.base import Detector
from aigate.inspect.detectors.pii_national import labels, official, standalone

DETECTORS = standalone(
    # Name letters, a birth date with a month letter, a town code and a check letter; digits
    # may be swapped for letters (omocodia) when two people would share a code.
    Detector(
        "it_codice_fiscale",
        "pii",
        r"\b[A-Z]{6}[0-9LMNP-V]{2}[A-EHLMPR-T][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]\b",
        context=labels("codice fiscale", "cod. fisc", "c.f.", "cf"),
        **official(codicefiscale, codicefiscale.get_birth_date),
        regions=("IT",),
        source="https://it.wikipedia.org/wiki/Codice_fiscale",
        description="Italian fiscal code (birth date, check letter).",
    ),
    Detector(
        "it_partita_iva",
        "pii",
        r"\b\d{11}\b",
        context=labels("partita iva", "p.iva", "p. iva", "piva", "p.i.", "vat"),
        context_required=True,
        **official(iva),
        regions=("IT",),
        source="https://it.wikipedia.org/wiki/Partita_IVA",
        description="Italian VAT number partita IVA (Luhn, with a label).",
    ),
    Detector(
        "es_dni",
        "pii",
        # the check letter is typed in lower case too (12345678z)
        r"\b\d{8}-?[A-HJ-NP-TV-Za-hj-np-tv-z]\b"
        r"|\b\d{2}\.\d{3}\.\d{3}-?[A-HJ-NP-TV-Za-hj-np-tv-z]\b",
        context=labels("dni", "nif", "documento nacional de identidad"),
        **official(dni, strip="."),
        regions=("ES",),
        source="https://es.wikipedia.org/wiki/Documento_Nacional_de_Identidad_(Espa%C3%B1a)",
        description="Spanish DNI/NIF (check letter).",
    ),
    Detector(
        "es_nie",
        "pii",
        r"\b[XYZxyz]-?\d{7}-?[A-HJ-NP-TV-Za-hj-np-tv-z]\b",
        context=labels("nie", "número de identidad de extranjero", "identificación de extranjero"),
        **official(nie),
        regions=("ES",),
        source="https://es.wikipedia.org/wiki/N%C3%BAmero_de_identidad_de_extranjero",
        description="Spanish foreigner identity number NIE (check letter).",
    ),
    Detector(
        "es_cif",
        "pii",
        r"\b[ABCDEFGHJNPQRSUVW]-?\d{7}-?[0-9A-J]\b",
        context=labels("cif", "nif", "código de identificación fiscal", "identificación fiscal"),
        context_required=True,
        **official(cif),
        regions=("ES",),
        source="https://es.wikipedia.org/wiki/C%C3%B3digo_de_identificaci%C3%B3n_fiscal",
        description="Spanish company tax number CIF (check character, with a label).",
    ),
    Detector(
        "pt_nif",
        "pii",
        r"\b\d{9}\b|\b\d{3} \d{3} \d{3}\b",
        context=labels(
            "nif", "nipc", "contribuinte", "número de identificação fiscal", "numero fiscal"
        ),
        context_required=True,
        **official(pt_nif),
        regions=("PT",),
        source="https://pt.wikipedia.org/wiki/N%C3%BAmero_de_identifica%C3%A7%C3%A3o_fiscal",
        description="Portuguese tax number NIF (mod 11, with a label).",
    ),
    # Eight digits, a check digit, a two-character card version and a second check digit.
    Detector(
        "pt_cc",
        "pii",
        r"\b\d{8} ?\d ?[A-Z]{2}\d\b",
        context=labels("cartão de cidadão", "cartao de cidadao", "cc", "número de documento"),
        **official(pt_cc),
        regions=("PT",),
        source="https://pt.wikipedia.org/wiki/Cart%C3%A3o_de_cidad%C3%A3o",
        description="Portuguese citizen card number (check characters).",
    ),
)
