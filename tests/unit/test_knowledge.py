"""The knowledge base's words, passages and choice of passages (domain.knowledge), and what an upload
is (domain.knowledge_files): pure, no AWS."""

from __future__ import annotations

import pytest

from inbox.domain.knowledge import (
    MAX_PASSAGE_CHARS,
    Bm25Index,
    cited,
    estimate_tokens,
    fold,
    passage_tokens,
    passages_of,
    select,
    split_passages,
    stem,
    tokens,
)
from inbox.domain.knowledge_files import clean_text, kind_of
from inbox.errors import InvalidInputError, PayloadTooLargeError
from inbox.models.knowledge import DocumentKind, Passage

SHOP = """# Livraison

Les commandes passées avant 14 h partent le jour même. La livraison prend 2 à 3 jours ouvrés.

# Retours

Vous avez 30 jours pour retourner un article. Le remboursement arrive sous 5 jours.

# Paiement

Nous acceptons la carte bancaire et PayPal. Le paiement en trois fois est possible dès 100 €.

# Account

If you cannot sign in, reset your password from the sign-in page. Accounts are locked after 5 failed attempts.
"""


def shop() -> list[Passage]:
    return passages_of("doc", "Aide", SHOP)


# ------------------------------------------------------------------ words


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("probleme", "Problème"),
        ("PROBLÈMES", "problème"),
        ("commandes", "commande"),
        ("Commandé", "commande"),
        ("orders", "order"),
        ("ordered", "ordering"),
        ("deliveries", "delivery"),
        ("Œuvre", "oeuvre"),
        ("remboursé", "rembourse"),
    ],
)
def test_forms_of_one_word_are_one_token(one, other):
    assert tokens(one) == tokens(other)
    assert len(tokens(one)) == 1


def test_folding_drops_accents_and_case_and_opens_ligatures():
    assert fold("Où est ma Commande ? ÉTÉ, cœur, Straße") == "ou est ma commande ? ete, coeur, strasse"


def test_stemming_is_light_and_leaves_short_words_and_numbers():
    assert [stem(w) for w in ("sav", "colis", "12345", "need", "class", "address")] == [
        "sav",
        "coli",
        "12345",
        "need",
        "class",
        "address",
    ]


def test_stop_words_say_nothing_and_are_left_out():
    assert tokens("Bonjour, où est ma commande #12345 ? Merci") == ["command", "12345"]
    assert tokens("Hello, where is my order please?") == ["wher", "order"]  # stems, not words


# ------------------------------------------------------------------ passages


def test_a_heading_starts_a_passage():
    assert [p.text.split("\n")[0] for p in shop()] == ["# Livraison", "# Retours", "# Paiement", "# Account"]
    assert [p.passage_id for p in shop()] == ["doc:1", "doc:2", "doc:3", "doc:4"]
    assert {p.title for p in shop()} == {"Aide"}


def test_paragraphs_are_gathered_up_to_the_bound_and_never_past_it():
    paragraphs = [f"Paragraphe {n}. " + "mot " * 60 for n in range(20)]
    passages = split_passages("\n\n".join(paragraphs), max_chars=700)
    assert all(len(p) <= 700 for p in passages)
    assert len(passages) < len(paragraphs)  # several per passage
    assert "\n\n".join(passages).split() == "\n\n".join(paragraphs).split()  # nothing lost, nothing added


def test_a_paragraph_longer_than_a_passage_is_cut_between_sentences_then_between_words():
    sentences = " ".join(f"Phrase numéro {n} qui dit quelque chose d'utile." for n in range(100))
    passages = split_passages(sentences)
    assert all(len(p) <= MAX_PASSAGE_CHARS for p in passages)
    assert all(p.endswith(".") for p in passages)
    one_word = "x" * (MAX_PASSAGE_CHARS * 2 + 5)
    assert [len(p) for p in split_passages(one_word)] == [MAX_PASSAGE_CHARS, MAX_PASSAGE_CHARS, 5]
    words = ("mot " * 1000).strip()
    assert all(len(p) <= MAX_PASSAGE_CHARS and not p.startswith(" ") for p in split_passages(words))


def test_an_empty_text_has_no_passages():
    assert split_passages("  \n\n \n") == []


# ------------------------------------------------------------------ ranking and the budget


@pytest.mark.parametrize(
    ("conversation", "heading"),
    [
        ("Bonjour, je voudrais retourner un article, comment être remboursée ?", "# Retours"),
        ("Où est ma commande ? Quand sera-t-elle livrée, la livraison est lente", "# Livraison"),
        ("Puis-je payer en 3 fois avec ma carte ?", "# Paiement"),
        ("My account is locked, I cannot sign in", "# Account"),
        ("MOT DE PASSE OUBLIÉ, password reset please", "# Account"),
    ],
)
def test_bm25_puts_the_passage_that_answers_first(conversation, heading):
    base = shop()
    scores = Bm25Index(base).scores(conversation)
    best = max(range(len(base)), key=scores.__getitem__)
    assert base[best].text.startswith(heading), scores


def test_a_passage_sharing_no_word_scores_zero():
    assert Bm25Index(shop()).scores("météo") == [0.0, 0.0, 0.0, 0.0]
    assert Bm25Index([]).scores("retours") == []


def test_the_whole_base_goes_in_its_order_when_it_fits():
    base = shop()
    needed = sum(passage_tokens(p) for p in base)
    selection = select(base, "anything at all", needed)
    assert selection.whole
    assert selection.passages == base


def test_past_the_budget_the_most_relevant_passages_that_fit_go_in_the_bases_order():
    base = shop()
    one = max(passage_tokens(p) for p in base)
    selection = select(base, "retourner un article, remboursement, et payer par carte", one * 2)
    assert not selection.whole
    assert [p.passage_id for p in selection.passages] == ["doc:2", "doc:3"]

    only_one = select(base, "retourner un article et être remboursé, payer par carte", one)
    assert [p.passage_id for p in only_one.passages] == ["doc:2"]
    assert sum(passage_tokens(p) for p in only_one.passages) <= one


def test_a_passage_too_long_for_what_is_left_is_passed_over_for_the_next_that_fits():
    long = Passage(document_id="d", passage_id="d:1", title="T", text="retour " * 300)
    short = Passage(document_id="d", passage_id="d:2", title="T", text="retour d'un article")
    budget = passage_tokens(short) + 1
    assert [p.passage_id for p in select([long, short], "retour", budget).passages] == ["d:2"]


def test_nothing_relevant_means_no_passage_rather_than_noise():
    selection = select(shop(), "la météo de demain", 10)
    assert (selection.whole, selection.passages) == (False, [])


def test_tokens_are_estimated_as_characters_over_four_rounded_up():
    assert [estimate_tokens(text) for text in ("", "a", "abcd", "abcde")] == [0, 1, 1, 2]


def test_a_reply_cites_only_passages_it_was_given():
    selection = select(shop(), "x", 10_000)
    assert [p.passage_id for p in cited(selection, ["doc:2", "doc:9", "doc:2"])] == ["doc:2"]


# ------------------------------------------------------------------ uploads and text


def test_text_is_cleaned_and_bounded():
    assert clean_text("  Titre\r\n\r\n\r\n\r\nLigne  \x00\u200b\n") == "Titre\n\nLigne"
    with pytest.raises(InvalidInputError, match="text: holds no text"):
        clean_text(" \n \x00 ")
    with pytest.raises(PayloadTooLargeError):
        clean_text("é" * 150_001)


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (b"%PDF-1.7\n...", "x.bin", DocumentKind.PDF),
        (b"Hello", "readme.txt", DocumentKind.TXT),
        (b"Hello", "faq.pdf", DocumentKind.TXT),  # text named PDF is text
        (b"# FAQ\n\ntext", "faq.md", DocumentKind.MARKDOWN),
        (b"<!DOCTYPE html><p>x", "page", DocumentKind.HTML),
        (b"<p>x</p>", "page.html", DocumentKind.HTML),
        ("é".encode("utf-16"), "notes.txt", DocumentKind.TXT),
    ],
)
def test_an_uploads_kind_comes_from_its_bytes(data, name, kind):
    assert kind_of(data, name) is kind


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00" + bytes(range(256)),  # a Windows executable
        b"\x7fELF\x02\x01\x01" + bytes(range(256)),
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
        b"PK\x03\x04" + b"\x00" * 64,  # a zip that is no DOCX
    ],
)
def test_anything_else_is_refused_whatever_its_name(data):
    with pytest.raises(InvalidInputError, match=r"^file: is "):
        kind_of(data, "faq.pdf")


# ------------------------------------------------------------------ the warm function's copy of a base


class CountingStore:
    """The store's reads a prompt makes, counted; `version` moves as a write would move it."""

    def __init__(self, passages: list[Passage]):
        self.passages, self.version = passages, 1
        self.reads = {"totals": 0, "passages": 0}

    def knowledge_totals(self, tenant_id: str):
        from inbox.adapters.dynamodb.knowledge import BaseTotals

        self.reads["totals"] += 1
        return BaseTotals(version=self.version)

    def knowledge_passages(self, tenant_id: str) -> list[Passage]:
        self.reads["passages"] += 1
        return list(self.passages)


def test_a_warm_function_reads_the_passages_once_per_version_of_the_base():
    from inbox.services.knowledge import KnowledgeBase

    store = CountingStore(shop())
    base = KnowledgeBase(store, blobs=None, disposal=None)  # a prompt's reads touch neither
    for _ in range(3):
        assert base.for_prompt("t", "retourner un article", 10_000).whole
        assert base.for_prompt("t", "retourner un article", 40).passages[0].passage_id == "doc:2"
    assert store.reads == {"totals": 6, "passages": 1}  # one GetItem per prompt, one Query in all

    store.version, store.passages = 2, passages_of("doc", "Aide", "# Retours\n\nSoixante jours pour retourner.")
    assert [p.text for p in base.for_prompt("t", "retourner", 10_000).passages] == [
        "# Retours\n\nSoixante jours pour retourner."
    ]
    assert store.reads["passages"] == 2


def test_a_docx_too_big_once_unpacked_is_refused_before_it_is_read(monkeypatch):
    import io
    import zipfile

    from docx import Document

    from inbox.domain import knowledge_files

    out = io.BytesIO()
    Document().save(out)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/zeros.bin", bytes(2 * 1024 * 1024))  # 2 MB of zeros: a few KB packed
    data = out.getvalue()
    assert len(data) < 100_000
    assert kind_of(data, "x.docx") is DocumentKind.DOCX
    monkeypatch.setattr(knowledge_files, "MAX_DOCX_UNPACKED_BYTES", 1024 * 1024)
    monkeypatch.setattr("docx.Document", lambda *_: pytest.fail("the document was read"))
    with pytest.raises(PayloadTooLargeError, match=r"^file: over 1 MB once unpacked$"):
        knowledge_files.extract_text(data, DocumentKind.DOCX)
