"""Conversation memory (bot/conversation.py) with the real answering service: what a turn leaves
behind, and when it is forgotten."""

from __future__ import annotations

import pytest

from bot.answers.service import AnswerService
from bot.conversation import Conversations, converse

BODIES = "Berapa jenazah yang dijanjikan Rusia untuk dikembalikan?"
READ_AS = "Berapa jenazah yang belum dikembalikan?"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def memory(clock: Clock) -> Conversations:
    return Conversations(minutes=10, clock=clock)


def test_a_follow_up_within_the_time_is_completed(
    service: AnswerService, memory: Conversations, clock: Clock
):
    converse(service, memory, "chat", BODIES)
    clock.now += 9 * 60
    answer = converse(service, memory, "chat", "Yang belum?")
    assert answer.read_as == READ_AS and answer.stated_fact in ("3.000", "3.000 jenazah")


def test_the_conversation_expires_after_its_minutes(
    service: AnswerService, memory: Conversations, clock: Clock
):
    converse(service, memory, "chat", BODIES)
    clock.now += 10 * 60
    assert converse(service, memory, "chat", "Yang belum?").read_as is None
    assert len(memory) == 1  # the unmerged question is now the conversation's last


def test_conversations_are_kept_apart(service: AnswerService, memory: Conversations):
    converse(service, memory, "a", BODIES)
    converse(service, memory, "b", "Siapa yang memimpin delegasi Rusia?")
    assert converse(service, memory, "a", "Yang belum?").read_as == READ_AS
    assert converse(service, memory, "c", "Yang belum?").read_as is None


def test_a_greeting_starts_afresh(service: AnswerService, memory: Conversations):
    converse(service, memory, "chat", BODIES)
    converse(service, memory, "chat", "Halo")
    assert len(memory) == 0
    assert converse(service, memory, "chat", "Yang belum?").read_as is None


def test_thanks_in_between_keeps_the_question(service: AnswerService, memory: Conversations):
    converse(service, memory, "chat", BODIES)
    converse(service, memory, "chat", "Terima kasih")
    assert converse(service, memory, "chat", "Yang belum?").read_as == READ_AS


def test_a_standalone_question_becomes_the_new_context(service: AnswerService, memory: Conversations):
    converse(service, memory, "chat", BODIES)
    standalone = converse(service, memory, "chat", "Kapan pertemuan damai diadakan?")
    assert standalone.read_as is None
    assert converse(service, memory, "chat", "Di mana?").read_as == "Di mana pertemuan damai diadakan?"


def test_a_completed_follow_up_is_the_context_of_the_next(service: AnswerService, memory: Conversations):
    converse(service, memory, "chat", "Siapa yang memimpin delegasi Rusia?")
    converse(service, memory, "chat", "Kalau Ukraina?")
    assert converse(service, memory, "chat", "Kapan?").read_as == "Kapan memimpin delegasi Ukraina?"


def test_sweep_drops_every_expired_conversation(memory: Conversations, clock: Clock, service: AnswerService):
    converse(service, memory, "a", BODIES)
    clock.now += 5 * 60
    converse(service, memory, "b", BODIES)
    clock.now += 6 * 60
    memory.sweep()
    assert len(memory) == 1
