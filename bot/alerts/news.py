"""Which articles of a new index build have not been announced yet, and who gets an alert for each.

The one place every new article passes is the swap to a new build (AnswerService.reload_if_changed),
whatever brought it: an admin's link or file, a forwarded post, a feed, /reindex, or a build from the
shell. Comparing the build's catalog with the articles already announced (kept in the store, not in
memory) also catches an article whose alerts a crash kept from being queued: the next start finds it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from bot.alerts.key_facts import key_facts
from bot.alerts.store import ALL_REPORTS, Alert, Subscription
from bot.alerts.subjects import SubjectMatcher
from index.models import ArticleInfo, Sentence


@dataclass(frozen=True)
class Report:
    """A new article as an alert shows it."""

    info: ArticleInfo
    facts: list[Sentence]


# (report, language, the subjects it matched or [] for every report) -> the alert's text
Render = Callable[[Report, str, list[str]], str]


def unannounced(catalog: list[ArticleInfo], announced: set[str]) -> list[ArticleInfo]:
    return [info for info in catalog if info.id not in announced]


def alerts_for(
    info: ArticleInfo,
    sentences: list[Sentence],
    subscriptions: list[Subscription],
    matcher: SubjectMatcher,
    render: Render,
) -> list[Alert]:
    """One alert per chat that follows every report or a subject the article is about."""
    report = Report(info=info, facts=key_facts(sentences))
    about: dict[str, bool] = {}
    wanted: dict[int, tuple[str, list[str]]] = {}  # chat -> (language, matched subjects)
    for subscription in subscriptions:
        subject = subscription.subject
        if subject != ALL_REPORTS:
            if subject not in about:
                about[subject] = matcher.about(subject, info.title, sentences)
            if not about[subject]:
                continue
        wanted.setdefault(subscription.chat_id, (subscription.language, []))[1].append(subject)
    return [
        Alert(chat_id=chat, article_id=info.id, text=render(report, language, named_subjects(subjects)))
        for chat, (language, subjects) in wanted.items()
    ]


def named_subjects(subjects: list[str]) -> list[str]:
    """The subjects to name in the alert: none when the chat follows every report anyway."""
    return [] if ALL_REPORTS in subjects else subjects
