"""A deterministic mailbox of customer mail, realistic enough to time a sync against.

What a support mailbox holds: French and English customers writing from Gmail, Outlook, French ISPs
and company servers (with the Received/DKIM/ARC headers those add, which are most of a short mail's
bytes), plain text and HTML, a few small attachments, newsletters, auto-replies and bounces, and
threads whose replies carry In-Reply-To, References and a quoted parent. Replies answer a recent
thread, so the first few hundred messages hold whole threads too.

The same (count, seed) always gives the same bytes: every random choice comes from one seeded
generator and the MIME is written by hand (the stdlib's generator draws boundaries from the global
`random`).
"""

from __future__ import annotations

import base64
import hashlib
import quopri
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime, formataddr
from html import escape

from benchmarks.mail_words import (
    FIRST_EN,
    FIRST_FR,
    LAST_EN,
    LAST_FR,
    PROVIDERS,
    SENTENCES_EN,
    SENTENCES_FR,
    SUBJECTS_EN,
    SUBJECTS_FR,
)

SUPPORT = "support@shop.test"
PARIS = timezone(timedelta(hours=1))
START = datetime(2026, 3, 2, 8, 0, tzinfo=PARIS)

# kind -> weight; "reply" is decided separately (a customer answering an open thread).
KINDS = {"plain": 50, "html": 32, "attachment": 8, "newsletter": 6, "auto_reply": 2, "bounce": 2}
REPLY_SHARE = 0.4
OPEN_THREADS = 40  # replies pick among the most recent threads


@dataclass
class Mailbox:
    """The generated mail, in the order it is appended, and what kinds it holds."""

    raws: list[bytes]
    kinds: Counter[str] = field(default_factory=Counter)
    threads: int = 0

    @property
    def size(self) -> int:
        return sum(len(raw) for raw in self.raws)


@dataclass
class _Thread:
    subject: str
    sender: tuple[str, str]
    lang: str
    message_ids: list[str]
    last_text: str
    last_date: datetime


def generate(count: int, seed: int = 2026) -> Mailbox:
    """`count` messages; the first k of generate(n) are generate(k) for any k <= n."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    mailbox = Mailbox([])
    threads: list[_Thread] = []
    when = START
    kinds, weights = list(KINDS), list(KINDS.values())
    for n in range(count):
        when += timedelta(seconds=rng.randint(20, 900))
        if threads and rng.random() < REPLY_SHARE:
            thread = rng.choice(threads[-OPEN_THREADS:])
            raw = _reply(rng, n, thread, when)
            kind = "reply"
        else:
            kind = rng.choices(kinds, weights)[0]
            raw, thread = _BUILDERS[kind](rng, n, when)
            if thread is not None:
                threads.append(thread)
                mailbox.threads += 1
        mailbox.raws.append(raw)
        mailbox.kinds[kind] += 1
    return mailbox


# --------------------------------------------------------------------------- people and headers


def _person(rng: random.Random, lang: str) -> tuple[str, str]:
    first = rng.choice(FIRST_FR if lang == "fr" else FIRST_EN)
    last = rng.choice(LAST_FR if lang == "fr" else LAST_EN)
    domain = rng.choice(PROVIDERS[:3] + PROVIDERS[3:6] * (lang == "fr") + PROVIDERS[6:])
    local = f"{first}.{last}".lower().replace("'", "")
    local = local.translate(str.maketrans("éèëêïîçôàâ", "eeeeiicoaa")) + str(rng.randint(1, 99))
    return f"{first} {last}", f"{local}@{domain}"


def _address(name: str, email: str) -> str:
    return formataddr((name, email), charset="utf-8")


def _encoded(text: str) -> str:
    return text if text.isascii() else Header(text, "utf-8", maxlinelen=76).encode()


def _b64(rng: random.Random, chars: int) -> str:
    return base64.b64encode(rng.randbytes(chars * 3 // 4)).decode()


def _folded(value: str, width: int = 72) -> str:
    return "\r\n\t".join(value[i : i + width] for i in range(0, len(value), width))


def _transport_headers(rng: random.Random, sender: str, when: datetime) -> str:
    """What the sender's provider and our MX add: most of a short mail's header bytes."""
    domain = sender.rpartition("@")[2]
    stamp = format_datetime(when)
    ip = f"{rng.randint(2, 220)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    relay = f"mail-{rng.randint(1, 99)}.{domain}"
    hops = [
        f"Received: from {relay} ({relay} [{ip}])\r\n"
        f"\tby mx1.shop.test (Postfix) with ESMTPS id {rng.randbytes(6).hex().upper()}\r\n"
        f"\tfor <{SUPPORT}>; {stamp}",
        f"Received: by {relay} with SMTP id {rng.randbytes(8).hex()}\r\n\tfor <{SUPPORT}>; {stamp}",
    ]
    headers = [*hops, f"Return-Path: <{sender}>", "Delivered-To: support@shop.test"]
    headers.append(
        f"Authentication-Results: mx1.shop.test; dkim=pass (2048-bit key) header.d={domain} "
        f"header.i=@{domain} header.b={_b64(rng, 8)}; spf=pass smtp.mailfrom={domain}; dmarc=pass header.from={domain}"
    )
    if domain in ("gmail.com", "outlook.fr", "hotmail.co.uk", "acme-corp.example"):
        headers.append(
            f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=s{rng.randint(2020, 2026)}; "
            f"t={int(when.timestamp())};\r\n\th=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date;\r\n"
            f"\tbh={_b64(rng, 44)};\r\n\tb={_folded(_b64(rng, 344))}"
        )
    if domain == "gmail.com":
        headers += [
            f"ARC-Seal: i=1; a=rsa-sha256; t={int(when.timestamp())}; cv=none; d=google.com; s=arc-20240605;\r\n"
            f"\tb={_folded(_b64(rng, 344))}",
            f"X-Google-Smtp-Source: {_b64(rng, 88)}",
            f"X-Received: by 2002:a05:6000:{rng.randint(100, 999)} with SMTP id {rng.randbytes(8).hex()}; {stamp}",
            f"X-Gm-Message-State: {_folded(_b64(rng, 120))}",
        ]
    elif domain in ("outlook.fr", "hotmail.co.uk"):
        headers += [
            f"X-MS-Exchange-Organization-Network-Message-Id: {rng.randbytes(16).hex()}",
            "X-MS-Exchange-Organization-AuthSource: DB8EUR05FT012.eop-eur05.prod.protection.outlook.com",
            "X-MS-Exchange-Organization-SCL: 1",
            f"X-Microsoft-Antispam-Message-Info: {_folded(_b64(rng, 600))}",
            "X-MS-Exchange-Transport-CrossTenantHeadersStamped: AM9P193MB1234",
        ]
    return "\r\n".join(headers) + "\r\n"


def _envelope(
    rng: random.Random,
    sender: tuple[str, str],
    subject: str,
    message_id: str,
    when: datetime,
    lang: str,
    extra: str = "",
) -> str:
    return (
        _transport_headers(rng, sender[1], when)
        + f"From: {_address(*sender)}\r\n"
        + f"To: Boutique <{SUPPORT}>\r\n"
        + f"Subject: {_encoded(subject)}\r\n"
        + f"Date: {format_datetime(when)}\r\n"
        + f"Message-ID: <{message_id}>\r\n"
        + extra
        + f"Content-Language: {'fr-FR' if lang == 'fr' else 'en-GB'}\r\n"
        + "MIME-Version: 1.0\r\n"
    )


def _message_id(rng: random.Random, n: int, sender: str) -> str:
    return f"{rng.randbytes(8).hex()}.{n}@{sender.rpartition('@')[2]}"


# --------------------------------------------------------------------------- bodies


def _paragraphs(rng: random.Random, lang: str, name: str, order: int) -> str:
    sentences = SENTENCES_FR if lang == "fr" else SENTENCES_EN
    greeting = "Bonjour," if lang == "fr" else "Hello,"
    closing = "Cordialement," if lang == "fr" else "Kind regards,"
    paragraphs = [greeting]
    for _ in range(rng.randint(1, 4)):
        paragraphs.append(" ".join(rng.sample(sentences, rng.randint(1, 4))))
    paragraphs.append(("Commande n° " if lang == "fr" else "Order no. ") + str(order))
    paragraphs += [closing, name]
    if rng.random() < 0.3:  # the phone's signature
        paragraphs.append("Envoyé de mon iPhone" if lang == "fr" else "Sent from my iPhone")
    return "\n\n".join(paragraphs)


def _text_part(text: str) -> str:
    body = text.replace("\n", "\r\n")
    if body.isascii():
        return f"Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n{body}\r\n"
    return (
        f"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{_qp(body)}\r\n"
    )


def _html_of(text: str, rng: random.Random) -> str:
    style = 'style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222222;line-height:1.4"'
    paragraphs = "".join(f"<p {style}>{escape(p).replace(chr(10), '<br>')}</p>\r\n" for p in text.split("\n\n"))
    signature = (
        '<table cellpadding="0" cellspacing="0" border="0" style="margin-top:16px;border-top:1px solid #dddddd">'
        '<tr><td style="padding:8px 12px 0 0"><img src="https://cdn.example.com/sig/logo-'
        f'{rng.randint(1, 9)}.png" width="48" height="48" alt=""></td>'
        '<td style="padding-top:8px;font-size:12px;color:#888888">Mobile +33 6 00 00 00 00<br>'
        '<a href="https://www.example.com" style="color:#1a73e8">www.example.com</a></td></tr></table>'
    )
    return (
        '<!DOCTYPE html>\r\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        "<style>p{margin:0 0 12px 0}</style></head>\r\n"
        f'<body><div dir="ltr">\r\n{paragraphs}{signature}\r\n</div></body></html>'
    )


def _html_part(html: str) -> str:
    return (
        f"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{_qp(html)}\r\n"
    )


def _qp(text: str) -> str:
    """Quoted-printable with CRLF line ends (quopri writes its soft breaks as "=\\n")."""
    return quopri.encodestring(text.replace("\r\n", "\n").encode()).decode().replace("\n", "\r\n")


def _multipart(subtype: str, boundary: str, parts: list[str]) -> str:
    body = "".join(f"--{boundary}\r\n{part}" for part in parts)
    return f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n{body}--{boundary}--\r\n'


def _boundary(rng: random.Random) -> str:
    return f"000000000000{rng.randbytes(10).hex()}"


def _attachment(rng: random.Random, lang: str, order: int) -> str:
    kind = rng.choice(["pdf", "jpg", "png"])
    size = rng.randint(8_000, 60_000)
    if kind == "pdf":
        data, content_type = b"%PDF-1.7\n" + rng.randbytes(size), "application/pdf"
        name = f"facture-{order}.pdf" if lang == "fr" else f"invoice-{order}.pdf"
    elif kind == "jpg":
        data, content_type = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(size), "image/jpeg"
        name = "photo colis abîmé.jpg" if lang == "fr" else "damaged parcel.jpg"
    else:
        data, content_type = b"\x89PNG\r\n\x1a\n" + rng.randbytes(size), "image/png"
        name = f"capture-{rng.randint(1, 999)}.png"
    encoded = base64.encodebytes(data).decode().replace("\n", "\r\n")
    if name.isascii():
        disposition = f'attachment; filename="{name}"'
    else:
        quoted = "".join(c if c.isalnum() and c.isascii() else f"%{b:02X}" for c in name for b in c.encode())
        disposition = f"attachment; filename*=utf-8''{quoted}"
    return (
        f'Content-Type: {content_type}; name="{name.encode("ascii", "replace").decode()}"\r\n'
        f"Content-Disposition: {disposition}\r\nContent-Transfer-Encoding: base64\r\n\r\n{encoded}"
    )


# --------------------------------------------------------------------------- kinds of mail


def _customer(rng: random.Random, n: int, when: datetime, html: bool, files: int) -> tuple[bytes, _Thread]:
    lang = "fr" if rng.random() < 0.6 else "en"
    sender = _person(rng, lang)
    order = rng.randint(10_000, 99_999)
    subject = rng.choice(SUBJECTS_FR if lang == "fr" else SUBJECTS_EN).format(n=order)
    message_id = _message_id(rng, n, sender[1])
    text = _paragraphs(rng, lang, sender[0], order)
    body = _text_part(text)
    if html:
        body = _multipart("alternative", _boundary(rng), [body, _html_part(_html_of(text, rng))])
    if files:
        body = _multipart("mixed", _boundary(rng), [body] + [_attachment(rng, lang, order) for _ in range(files)])
    raw = (_envelope(rng, sender, subject, message_id, when, lang) + body).encode()
    return raw, _Thread(subject, sender, lang, [message_id], text, when)


def _reply(rng: random.Random, n: int, thread: _Thread, when: datetime) -> bytes:
    """The customer answers their thread: Re: subject, In-Reply-To, References, the parent quoted."""
    fr = thread.lang == "fr"
    message_id = _message_id(rng, n, thread.sender[1])
    sentences = SENTENCES_FR if fr else SENTENCES_EN
    answer = " ".join(rng.sample(sentences, rng.randint(1, 3)))
    answer += "\n\n" + ("Merci," if fr else "Thanks,") + "\n" + thread.sender[0]
    intro = (
        f"Le {thread.last_date:%d/%m/%Y à %H:%M}, {thread.sender[0]} <{thread.sender[1]}> a écrit :"
        if fr
        else f"On {thread.last_date:%a, %d %b %Y at %H:%M}, {thread.sender[0]} <{thread.sender[1]}> wrote:"
    )
    quoted = "\n".join("> " + line if line else ">" for line in thread.last_text.split("\n"))
    text = f"{answer}\n\n{intro}\n{quoted}"
    references = thread.message_ids[-10:]
    extra = f"In-Reply-To: <{references[-1]}>\r\nReferences: " + "\r\n ".join(f"<{r}>" for r in references) + "\r\n"
    subject = ("RE: " if rng.random() < 0.2 else "Re: ") + thread.subject
    body = _text_part(text)
    if rng.random() < 0.5:
        body = _multipart("alternative", _boundary(rng), [body, _html_part(_html_of(text, rng))])
    thread.message_ids.append(message_id)
    thread.last_text, thread.last_date = text, when
    return (_envelope(rng, thread.sender, subject, message_id, when, thread.lang, extra) + body).encode()


def _plain(rng: random.Random, n: int, when: datetime) -> tuple[bytes, _Thread]:
    return _customer(rng, n, when, html=False, files=0)


def _html(rng: random.Random, n: int, when: datetime) -> tuple[bytes, _Thread]:
    return _customer(rng, n, when, html=True, files=0)


def _with_attachment(rng: random.Random, n: int, when: datetime) -> tuple[bytes, _Thread]:
    return _customer(rng, n, when, html=rng.random() < 0.5, files=1 if rng.random() < 0.8 else 2)


def _newsletter(rng: random.Random, n: int, when: datetime) -> tuple[bytes, None]:
    brand = rng.choice(["Colissimo", "La Redoute", "Fnac", "Amazon Business", "Stripe"])
    domain = brand.lower().replace(" ", "") + ".example"
    sender = (brand, f"newsletter@{domain}")
    products = "".join(
        f'<tr><td style="padding:12px"><img src="https://img.{domain}/p/{rng.randint(1000, 9999)}.jpg" width="180">'
        f'</td><td style="padding:12px;font-family:Arial"><h3 style="margin:0">Produit {k}</h3><p>{_b64(rng, 60)}</p>'
        f'<a href="https://click.{domain}/c/{rng.randbytes(12).hex()}" style="background:#e30613;color:#fff;'
        'padding:8px 16px;text-decoration:none">Découvrir</a></td></tr>\r\n'
        for k in range(rng.randint(6, 20))
    )
    html = (
        f'<html><body style="margin:0;background:#f4f4f4"><table width="600" align="center">{products}</table>'
        f'<p style="font-size:11px">Se désinscrire : https://click.{domain}/u/{rng.randbytes(16).hex()}</p></body></html>'
    )
    text = f"{brand} — nos offres de la semaine. Voir en ligne : https://www.{domain}/n/{n}"
    extra = (
        f"List-Unsubscribe: <mailto:unsubscribe@{domain}?subject={n}>, <https://click.{domain}/u/{n}>\r\n"
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nPrecedence: bulk\r\n"
        f"List-Id: {brand} <news.{domain}>\r\nX-Campaign-Id: {rng.randbytes(6).hex()}\r\n"
    )
    body = _multipart("alternative", _boundary(rng), [_text_part(text), _html_part(html)])
    subject = f"{brand} : -{rng.randint(10, 50)} % sur une sélection"
    message_id = _message_id(rng, n, sender[1])
    return (_envelope(rng, sender, subject, message_id, when, "fr", extra) + body).encode(), None


def _auto_reply(rng: random.Random, n: int, when: datetime) -> tuple[bytes, None]:
    lang = "fr" if rng.random() < 0.6 else "en"
    sender = _person(rng, lang)
    subject = "Réponse automatique : absence du bureau" if lang == "fr" else "Automatic reply: Out of office"
    text = (
        "Bonjour,\n\nJe suis absent jusqu'au 15 mars et n'aurai qu'un accès limité à mes courriels.\n\nCordialement"
        if lang == "fr"
        else "Hello,\n\nI am out of the office until 15 March with limited access to email.\n\nRegards"
    )
    extra = "Auto-Submitted: auto-replied\r\nX-Auto-Response-Suppress: All\r\n"
    raw = _envelope(rng, sender, subject, _message_id(rng, n, sender[1]), when, lang, extra) + _text_part(text)
    return raw.encode(), None


def _bounce(rng: random.Random, n: int, when: datetime) -> tuple[bytes, None]:
    sender = ("Mail Delivery Subsystem", "mailer-daemon@googlemail.com")
    failed = _person(rng, "fr")[1]
    report = (
        "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; googlemail.com\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does not exist.\r\n"
    )
    original = (
        f"Content-Type: text/rfc822-headers\r\n\r\nFrom: Boutique <{SUPPORT}>\r\nTo: {failed}\r\n"
        f"Subject: Votre commande\r\nMessage-ID: <{hashlib.sha256(failed.encode()).hexdigest()}@shop.test>\r\n"
    )
    human = _text_part(
        f"Address not found\n\nYour message wasn't delivered to {failed} because the address was not found."
    )
    body = _multipart("report; report-type=delivery-status", _boundary(rng), [human, report, original])
    raw = _envelope(rng, sender, "Delivery Status Notification (Failure)", _message_id(rng, n, sender[1]), when, "en")
    return (raw + body).encode(), None


_BUILDERS = {
    "plain": _plain,
    "html": _html,
    "attachment": _with_attachment,
    "newsletter": _newsletter,
    "auto_reply": _auto_reply,
    "bounce": _bounce,
}
