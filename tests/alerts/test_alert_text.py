"""An alert's text: title linked, outlet and date, the key facts quoted word for word, best first,
in Telegram HTML within one message."""

from bot.alerts.key_facts import key_facts
from bot.alerts.news import Report
from bot.telegram.alerts import MAX_ALERT_CHARS, alert_html
from index.models import ArticleInfo, Sentence


def sentences(*texts: str) -> list[Sentence]:
    return [
        Sentence(id=n, article_id="a", title="t", paragraph=1, start=0, end=len(t), text=t)
        for n, t in enumerate(texts)
    ]


INFO = ArticleInfo(
    id="a",
    title="Tawanan <dan> jenazah",
    date="2027-10-05",
    outlet="Warta & Co",
    url="https://x.test/a?b=1&c=2",
    sentence_count=3,
)


def test_the_sentence_stating_most_kinds_of_fact_comes_first() -> None:
    facts = key_facts(
        sentences(
            "Para keluarga menunggu kabar dengan cemas sejak pagi hari.",
            "Sebanyak 420 tawanan perang kembali pada Selasa, 5 Oktober 2027, di perbatasan Belarus.",
            "Proses itu memakan waktu enam jam menurut panitia setempat.",
        )
    )
    assert [f.id for f in facts] == [1, 2]  # number, date, place; then a number; never the one without


def test_an_alert_names_the_article_and_quotes_its_facts_escaped() -> None:
    facts = sentences("Kedua pihak sepakat menukar 500 tawanan (<b>perang</b>) sebelum Desember 2027.")
    text = alert_html(Report(info=INFO, facts=facts), "en", ["tawanan"])
    assert text.startswith(
        '🔔 <b>New report</b>\n<a href="https://x.test/a?b=1&amp;c=2"><b>Tawanan &lt;dan&gt; jenazah</b></a>\n'
        "Warta &amp; Co · 5 October 2027\nAbout: tawanan\n\nKey facts:"
    )
    assert "<blockquote>Kedua pihak sepakat menukar 500 tawanan (&lt;b&gt;perang&lt;/b&gt;) sebelum" in text


def test_an_alert_keeps_only_the_facts_that_fit_in_one_message() -> None:
    long = "Sebanyak 420 tawanan kembali pada 5 Oktober 2027 di Belarus " + "dan seterusnya " * 60
    text = alert_html(Report(info=INFO, facts=sentences(*[long] * 6)), "id", [])
    assert len(text) <= MAX_ALERT_CHARS and 1 <= text.count("<blockquote>") < 6
